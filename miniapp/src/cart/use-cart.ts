import { useEffect, useState } from 'react';
import { type CartState, cartState, subscribeCart } from './cart';

/** The cart, re-rendering the component whenever it changes. */
export function useCart(): CartState {
  const [state, setState] = useState(cartState);
  useEffect(() => {
    setState(cartState());
    return subscribeCart(setState);
  }, []);
  return state;
}
