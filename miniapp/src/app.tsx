import type { PropsWithChildren } from 'react';
import './app.css';
import './platform-style';

// The app shell only hosts pages; Taro renders the current page as `children`.
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
