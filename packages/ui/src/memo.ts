import { Component, type ComponentChildren, type FunctionComponent, h } from "preact";

/**
 * Preact's `memo` without pulling in preact/compat (a few KB of React emulation): the wrapped
 * component re-renders only when a prop changes identity.
 */
export function memo<P extends object>(render: FunctionComponent<P>): FunctionComponent<P> {
  class Memo extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      const prev = this.props as Record<string, unknown>;
      const keys = Object.keys(next) as (keyof P & string)[];
      return keys.length !== Object.keys(prev).length || keys.some((k) => prev[k] !== next[k]);
    }
    override render(props: P): ComponentChildren {
      return h(render, props);
    }
  }
  return Memo as unknown as FunctionComponent<P>;
}
