import { forwardRef, type ReactNode } from 'react';

// Taro components rendered as the DOM elements they become in H5, with `onTap` treated as a click.
type Props = Record<string, unknown> & { children?: ReactNode; onTap?: unknown; onClick?: unknown };

function domProps({ onTap, onClick, ...rest }: Props): Record<string, unknown> {
  return { ...rest, onClick: onClick ?? onTap };
}

export const View = forwardRef<HTMLDivElement, Props>((props, ref) => <div ref={ref} {...domProps(props)} />);
export const Text = forwardRef<HTMLSpanElement, Props>((props, ref) => <span ref={ref} {...domProps(props)} />);
export const Button = forwardRef<HTMLButtonElement, Props>((props, ref) => (
  <button type="button" ref={ref} {...domProps(props)} />
));
export const Image = forwardRef<HTMLImageElement, Props>((props, ref) => <img alt="" ref={ref} {...domProps(props)} />);
export const Input = forwardRef<HTMLInputElement, Props>((props, ref) => <input ref={ref} {...domProps(props)} />);
export const ScrollView = forwardRef<HTMLDivElement, Props>((props, ref) => <div ref={ref} {...domProps(props)} />);
