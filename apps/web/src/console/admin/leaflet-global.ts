import L from 'leaflet';

// leaflet-geoman extends the global `L` it finds at load time; bundled Leaflet has none, so give it ours.
(window as unknown as { L: typeof L }).L = L;

export { L };
