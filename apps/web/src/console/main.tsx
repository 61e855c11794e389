import 'leaflet/dist/leaflet.css';
import './console.css';
import { createRoot } from 'react-dom/client';
import { ConsoleApp } from './shell/ConsoleApp.tsx';

createRoot(document.getElementById('root')!).render(<ConsoleApp />);
