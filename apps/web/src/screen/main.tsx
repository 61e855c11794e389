import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ScreenApp } from './App.tsx';
import { Stage } from './Stage.tsx';
import './screen.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Stage>
      <ScreenApp />
    </Stage>
  </StrictMode>,
);
