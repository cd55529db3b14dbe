import { type ChangeEvent, forwardRef, type ReactNode } from 'react';

// Taro components rendered as the DOM elements they become in H5, with `onTap` treated as a click.
type Props = Record<string, unknown> & { children?: ReactNode; onTap?: unknown; onClick?: unknown };

function domProps({ onTap, onClick, ...rest }: Props): Record<string, unknown> {
  return { ...rest, onClick: onClick ?? onTap };
}

/**
 * Taro's Input/Textarea report typing as `onInput({ detail: { value } })`; React's controlled
 * inputs want `onChange`. Taro-only props (password, maxlength, placeholderClass) are mapped or dropped.
 */
function fieldProps({ onInput, password, maxlength, loading: _loading, ...rest }: Props): Record<string, unknown> {
  return {
    ...domProps(rest),
    ...(password ? { type: 'password' } : {}),
    ...(typeof maxlength === 'number' ? { maxLength: maxlength } : {}),
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      (onInput as ((event: { detail: { value: string } }) => void) | undefined)?.({
        detail: { value: e.target.value },
      }),
  };
}

/** Button: Taro's `loading`, `type` (primary/warn) and `size` are styling, not DOM attributes. */
function buttonProps({ loading: _loading, type: _type, size: _size, ...rest }: Props): Record<string, unknown> {
  return domProps(rest);
}

export const View = forwardRef<HTMLDivElement, Props>((props, ref) => <div ref={ref} {...domProps(props)} />);
export const Text = forwardRef<HTMLSpanElement, Props>((props, ref) => <span ref={ref} {...domProps(props)} />);
export const Button = forwardRef<HTMLButtonElement, Props>((props, ref) => (
  <button type="button" ref={ref} {...buttonProps(props)} />
));
export const Image = forwardRef<HTMLImageElement, Props>(({ lazyLoad: _lazy, mode: _mode, ...props }, ref) => (
  <img alt="" ref={ref} {...domProps(props)} />
));
export const Input = forwardRef<HTMLInputElement, Props>((props, ref) => <input ref={ref} {...fieldProps(props)} />);
export const Textarea = forwardRef<HTMLTextAreaElement, Props>((props, ref) => (
  <textarea ref={ref} {...fieldProps(props)} />
));
/** ScrollView: its scrolling props are Taro's, not the DOM's. */
function scrollProps({
  scrollY: _y,
  scrollX: _x,
  scrollIntoView: _into,
  scrollWithAnimation: _anim,
  onScroll: _s,
  ...rest
}: Props) {
  return domProps(rest);
}
export const ScrollView = forwardRef<HTMLDivElement, Props>((props, ref) => <div ref={ref} {...scrollProps(props)} />);
