// react-dom ships no types here and @types/react-dom is not a dependency: the two calls the
// component tests use, typed just enough.
declare module 'react-dom/client' {
  import { ReactNode } from 'react';
  export interface Root {
    render(children: ReactNode): void;
    unmount(): void;
  }
  export function createRoot(container: Element): Root;
}
