import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import './map.css';
import { BaseLayer, NO_BASE_MAP, type BaseMapSettings } from './base-layer.ts';
import { projectionFor, ringsToDisplay, type Projection } from './projection.ts';
import { loadFill, markerColour, OVERDUE_COLOUR, STATE_COLOURS } from './styles.ts';
import type {
  GridLoad,
  MapCaseMarker,
  MapClusterMarker,
  MapMarker,
  MapUnitFeature,
  PatrolTrack,
  Viewport,
} from './types.ts';

export type MapTheme = 'dark' | 'light';

export interface MapControllerOptions {
  theme: MapTheme;
  /** Words the map writes itself (marker titles), in the page's language. */
  text: MapText;
  onViewport?: (viewport: Viewport) => void;
  onUnitClick?: (unit: MapUnitFeature) => void;
  /** A case marker was tapped (the screen opens it for staff; the phone shows a card). */
  onCaseClick?: (marker: MapCaseMarker) => void;
  onTilesFailed?: () => void;
  /** Leaflet's own zoom buttons; the phone hides them (pinch) and the screen shows them. */
  zoomControl?: boolean;
}

export interface MapText {
  cluster: (count: number, overdue: number) => string;
  openUnit: (name: string) => string;
}

interface DrawnUnit {
  feature: MapUnitFeature;
  layer: L.Polygon | L.CircleMarker;
  role: 'focus' | 'child' | 'inside' | 'context';
}

interface DrawnMarker {
  marker: L.Marker;
  signature: string;
  data: MapMarker;
}

const PULSE_MS = 8000;
const MAX_PULSES = 20;
/** Grid names appear from this zoom on (below it they would cover each other). */
const GRID_LABEL_ZOOM = 15;

/**
 * The shared Leaflet map: the screen and the phone draw through it. It owns its layers for its whole
 * life and updates them in place — outlines restyled, markers moved or re-iconed by key, removed ones
 * dropped — so hours of live updates never pile up layers, listeners or DOM nodes.
 */
export class MapController {
  readonly map: L.Map;
  private projection: Projection = projectionFor('wgs84');
  private base: BaseLayer | null = null;
  private readonly unitsPane: HTMLElement;
  private readonly unitLayer = L.featureGroup();
  private readonly units = new Map<string, DrawnUnit>();
  private unitFeatures: MapUnitFeature[] = [];
  private focusId: string | null = null;
  private fittedFocus: string | null = null;
  private gridLoad = new Map<string, GridLoad>();
  private readonly markerLayer = L.layerGroup();
  private readonly markers = new Map<string, DrawnMarker>();
  private readonly pulseLayer = L.layerGroup();
  private readonly pulses: { marker: L.Marker; timer: ReturnType<typeof setTimeout> }[] = [];
  private readonly patrolLayer = L.layerGroup();
  private readonly patrols = new Map<string, { line: L.Polyline; head: L.CircleMarker; signature: string }>();
  private destroyed = false;

  constructor(
    element: HTMLElement,
    private readonly options: MapControllerOptions,
  ) {
    this.map = L.map(element, {
      zoomControl: options.zoomControl ?? true,
      attributionControl: true,
      minZoom: 3,
      maxZoom: 19,
      zoomSnap: 0.5,
      preferCanvas: false,
      center: [30, 110],
      zoom: 5,
    });
    this.map.attributionControl.setPrefix(false);
    element.classList.add('mq-map', `mq-map-${options.theme}`);
    this.unitsPane = this.map.createPane('mq-units');
    this.unitsPane.style.zIndex = '350';
    this.map.createPane('mq-patrols').style.zIndex = '560';
    this.unitLayer.addTo(this.map);
    this.patrolLayer.addTo(this.map);
    this.markerLayer.addTo(this.map);
    this.pulseLayer.addTo(this.map);
    this.map.on('moveend', this.emitViewport);
    this.map.on('zoomend', this.updateZoomClasses);
    this.updateZoomClasses();
  }

  /** The base map: tiles per configuration, or none (the outlines are the map). */
  setBaseMap(settings: BaseMapSettings = NO_BASE_MAP): void {
    const crsChanged = settings.crs !== this.projection.crs;
    this.base?.remove();
    this.projection = projectionFor(settings.crs);
    this.base = new BaseLayer(this.map, settings, () => this.options.onTilesFailed?.());
    this.map.setMaxZoom(settings.maxZoom);
    if (crsChanged) {
      // Everything already drawn was placed for the old CRS: draw it again.
      const features = this.unitFeatures;
      this.units.clear();
      this.unitLayer.clearLayers();
      this.setUnits(features, this.focusId);
      const markers = [...this.markers.values()].map((drawn) => drawn.data);
      this.markerLayer.clearLayers();
      this.markers.clear();
      this.setMarkers(markers);
    }
  }

  get hasTiles(): boolean {
    return this.base?.hasTiles ?? false;
  }

  /**
   * The outlines: the unit in focus (bold), its children (clickable to drill down), what lies deeper
   * inside (shaded by load), and neighbouring units for context (dim). The view fits the focus the
   * first time it is shown.
   */
  setUnits(features: MapUnitFeature[], focusId: string | null): void {
    this.unitFeatures = features;
    this.focusId = focusId;
    const parents = new Map(features.map((feature) => [feature.id, feature.parentId]));
    const inside = (id: string): boolean => {
      if (!focusId) return true;
      let current: string | null | undefined = id;
      for (let guard = 0; current && guard < 16; guard++) {
        if (current === focusId) return true;
        current = parents.get(current);
      }
      return false;
    };
    const seen = new Set<string>();
    for (const feature of features) {
      seen.add(feature.id);
      const role: DrawnUnit['role'] =
        feature.id === focusId
          ? 'focus'
          : feature.parentId === focusId || (focusId !== null && this.isChildPoint(feature, focusId, parents))
            ? 'child'
            : inside(feature.id)
              ? 'inside'
              : 'context';
      const existing = this.units.get(feature.id);
      if (existing && existing.feature.geometry === feature.geometry) {
        existing.role = role;
        existing.feature = feature;
        this.styleUnit(existing);
        continue;
      }
      existing?.layer.remove();
      const drawn = this.drawUnit(feature, role);
      if (drawn) this.units.set(feature.id, drawn);
    }
    for (const [id, drawn] of this.units) {
      if (!seen.has(id)) {
        drawn.layer.remove();
        this.units.delete(id);
      }
    }
    // Points (buildings) above polygons, the focus outline above its children.
    for (const drawn of this.units.values()) {
      if (drawn.role === 'focus' && drawn.layer instanceof L.Polygon) drawn.layer.bringToFront();
    }
    for (const drawn of this.units.values()) {
      if (drawn.role === 'child') drawn.layer.bringToFront();
    }
    if (focusId && this.fittedFocus !== focusId) this.fitFocus();
  }

  /** A building or compound two levels down (grid → compound → building) still counts as a child. */
  private isChildPoint(
    feature: MapUnitFeature,
    focusId: string,
    parents: Map<string, string | null>,
  ): boolean {
    if (feature.geometry.type !== 'Point') return false;
    const parent = feature.parentId ? parents.get(feature.parentId) : undefined;
    return parent === focusId;
  }

  /** Moves the view to the focus unit (its outline, or its children's when it has none). */
  fitFocus(): void {
    const focus = this.focusId ? this.units.get(this.focusId) : undefined;
    let bounds: L.LatLngBounds | null = null;
    if (focus && focus.layer instanceof L.Polygon) bounds = focus.layer.getBounds();
    else if (focus && focus.layer instanceof L.CircleMarker)
      bounds = L.latLngBounds([focus.layer.getLatLng(), focus.layer.getLatLng()]);
    if (!bounds) {
      const children = [...this.units.values()].filter((drawn) => drawn.role !== 'context');
      if (children.length === 0) return;
      bounds = L.featureGroup(children.map((child) => child.layer)).getBounds();
    }
    if (!bounds.isValid()) return;
    this.fittedFocus = this.focusId;
    const point = bounds.getNorthEast().equals(bounds.getSouthWest());
    if (point) this.map.setView(bounds.getCenter(), 18);
    else this.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 18 });
  }

  private drawUnit(feature: MapUnitFeature, role: DrawnUnit['role']): DrawnUnit | null {
    const geometry = feature.geometry;
    let layer: L.Polygon | L.CircleMarker;
    if (geometry.type === 'Point') {
      const [lng = 0, lat = 0] = geometry.coordinates;
      layer = L.circleMarker(this.projection.toDisplay(lng, lat), { pane: 'mq-units', radius: 5 });
    } else {
      const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      layer = L.polygon(
        polygons.map((rings) => ringsToDisplay(this.projection, rings)),
        { pane: 'mq-units' },
      );
    }
    layer.bindTooltip(feature.name, {
      permanent: true,
      direction: 'center',
      className: `mq-label mq-label-${feature.kind}`,
      interactive: false,
    });
    layer.on('click', () => {
      const drawn = this.units.get(feature.id);
      if (drawn && (drawn.role === 'child' || drawn.role === 'context'))
        this.options.onUnitClick?.(drawn.feature);
    });
    layer.addTo(this.unitLayer);
    const drawn: DrawnUnit = { feature, layer, role };
    this.styleUnit(drawn);
    return drawn;
  }

  private styleUnit(drawn: DrawnUnit): void {
    const { feature, layer, role } = drawn;
    const dark = this.options.theme === 'dark';
    const line = dark ? '#5eead4' : '#0f766e';
    const load = feature.kind === 'grid' ? this.gridLoad.get(feature.id) : undefined;
    const fill = load ? loadFill(load.load) : { color: '#0ea5e9', opacity: 0.03 };
    const clickable = role === 'child' || role === 'context';
    const tooltip = layer.getTooltip();
    const element = tooltip?.getElement();
    if (layer instanceof L.CircleMarker) {
      layer.setStyle({
        color: dark ? '#e2e8f0' : '#334155',
        weight: 1,
        fillColor: dark ? '#64748b' : '#cbd5e1',
        fillOpacity: role === 'context' ? 0.3 : 0.9,
        radius: role === 'child' ? 7 : 5,
      });
    } else {
      const styles: Record<DrawnUnit['role'], L.PathOptions> = {
        focus: { color: dark ? '#fde68a' : '#b45309', weight: 3, fillOpacity: 0, dashArray: undefined },
        child: { color: line, weight: 1.6, fillColor: fill.color, fillOpacity: fill.opacity },
        inside: { color: line, weight: 0.8, opacity: 0.6, fillColor: fill.color, fillOpacity: fill.opacity },
        context: { color: dark ? '#334155' : '#94a3b8', weight: 1, fillColor: '#000', fillOpacity: 0.05 },
      };
      layer.setStyle({ ...styles[role], dashArray: role === 'context' ? '4 4' : undefined });
    }
    const path = (layer as unknown as { _path?: SVGElement })._path;
    if (path) {
      path.classList.toggle('mq-clickable', clickable);
      path.setAttribute('data-unit-id', feature.id);
      path.setAttribute('data-unit-kind', feature.kind);
      path.setAttribute('data-role', role);
    }
    if (element) {
      element.dataset.role = role;
    }
    const label = tooltip?.getElement();
    if (label) label.classList.toggle('mq-label-hidden', role === 'focus' && feature.kind !== 'building');
    layer.options.interactive = clickable;
    if (path) path.style.pointerEvents = clickable ? 'auto' : 'none';
  }

  /** Open-case load per grid id: shades the grids (green → amber → red relative to the busiest). */
  setGridLoad(load: Map<string, GridLoad>): void {
    this.gridLoad = load;
    for (const drawn of this.units.values()) {
      if (drawn.feature.kind === 'grid') this.styleUnit(drawn);
    }
  }

  /** The markers and clusters for the current viewport, updated in place by key. */
  setMarkers(items: MapMarker[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(item.key);
      const signature = markerSignature(item);
      const existing = this.markers.get(item.key);
      const position = this.projection.toDisplay(item.lng, item.lat);
      if (existing) {
        existing.data = item;
        if (existing.signature === signature) continue;
        existing.signature = signature;
        existing.marker.setLatLng(position);
        existing.marker.setIcon(this.iconFor(item));
        existing.marker.options.title = this.titleFor(item);
        existing.marker.getElement()?.setAttribute('title', this.titleFor(item));
        this.tagMarker(existing.marker, item);
        continue;
      }
      const marker = L.marker(position, {
        icon: this.iconFor(item),
        title: this.titleFor(item),
        keyboard: true,
        riseOnHover: true,
        zIndexOffset: item.kind === 'cluster' ? 0 : item.overdue ? 200 : 100,
      });
      marker.on('click', () => this.markerClicked(item.key));
      marker.addTo(this.markerLayer);
      this.tagMarker(marker, item);
      this.markers.set(item.key, { marker, signature, data: item });
    }
    for (const [key, drawn] of this.markers) {
      if (seen.has(key)) continue;
      drawn.marker.off();
      drawn.marker.remove();
      this.markers.delete(key);
    }
  }

  /** The case number and state on the marker's element: for tests and for styling, never personal. */
  private tagMarker(marker: L.Marker, item: MapMarker): void {
    const element = marker.getElement();
    if (!element) return;
    if (item.kind === 'case') {
      element.dataset.caseCode = item.code;
      element.dataset.state = item.state;
      element.dataset.overdue = String(item.overdue);
    } else {
      element.dataset.count = String(item.count);
    }
  }

  /** How many markers are on the map now (the screen's memory check reads it). */
  get markerCount(): number {
    return this.markers.size;
  }

  private markerClicked(key: string): void {
    const drawn = this.markers.get(key);
    if (!drawn) return;
    const item = drawn.data;
    if (item.kind === 'case') {
      this.options.onCaseClick?.(item);
      return;
    }
    if (item.bbox) {
      const [w, s, e, n] = item.bbox;
      const bounds = L.latLngBounds([this.projection.toDisplay(w, s), this.projection.toDisplay(e, n)]);
      if (bounds.isValid() && !bounds.getNorthEast().equals(bounds.getSouthWest())) {
        this.map.fitBounds(bounds, { padding: [40, 40], maxZoom: 19 });
        return;
      }
    }
    const zoom = item.expansionZoom ?? this.map.getZoom() + 2;
    this.map.setView(this.projection.toDisplay(item.lng, item.lat), Math.min(zoom, this.map.getMaxZoom()));
  }

  private titleFor(item: MapMarker): string {
    return item.kind === 'cluster' ? this.options.text.cluster(item.count, item.overdue) : item.title;
  }

  private iconFor(item: MapMarker): L.DivIcon {
    if (item.kind === 'cluster') return clusterIcon(item);
    return caseIcon(item);
  }

  /** A ripple where something just happened, so eyes across the room find it. */
  pulse(lng: number, lat: number, colour: string): void {
    if (this.destroyed) return;
    while (this.pulses.length >= MAX_PULSES) {
      const oldest = this.pulses.shift()!;
      clearTimeout(oldest.timer);
      oldest.marker.remove();
    }
    const marker = L.marker(this.projection.toDisplay(lng, lat), {
      icon: L.divIcon({
        className: 'mq-pulse',
        html: `<span style="border-color:${colour}"></span><span style="border-color:${colour}"></span>`,
        iconSize: [60, 60],
      }),
      interactive: false,
      keyboard: false,
    });
    marker.addTo(this.pulseLayer);
    const entry = {
      marker,
      timer: setTimeout(() => {
        marker.remove();
        const index = this.pulses.indexOf(entry);
        if (index >= 0) this.pulses.splice(index, 1);
      }, PULSE_MS),
    };
    this.pulses.push(entry);
  }

  /** Patrols on duty (issue 4): a dot per worker (or grid centre), tracks for supervisors; reused by key. */
  setPatrols(patrols: PatrolTrack[]): void {
    const seen = new Set<string>();
    for (const patrol of patrols) {
      if (!patrol.position) continue;
      seen.add(patrol.key);
      const segments = patrol.segments.map((segment) =>
        segment.map(([lng, lat]) => this.projection.toDisplay(lng, lat)),
      );
      const head = this.projection.toDisplay(patrol.position[0], patrol.position[1]);
      const signature = `${head.join(',')}:${patrol.segments.reduce((sum, s) => sum + s.length, 0)}:${patrol.label}`;
      const existing = this.patrols.get(patrol.key);
      if (existing) {
        if (existing.signature === signature) continue;
        existing.line.setLatLngs(segments);
        existing.head.setLatLng(head);
        existing.head.setTooltipContent(patrol.label);
        existing.signature = signature;
        continue;
      }
      const line = L.polyline(segments, {
        pane: 'mq-patrols',
        color: '#38bdf8',
        weight: 3,
        opacity: 0.85,
        interactive: false,
      });
      const dot = L.circleMarker(head, {
        pane: 'mq-patrols',
        radius: patrol.exact ? 7 : 9,
        color: '#fff',
        weight: 2,
        fillColor: '#0ea5e9',
        fillOpacity: 1,
        dashArray: patrol.exact ? undefined : '3 3',
        className: 'mq-patrol',
      }).bindTooltip(patrol.label, { direction: 'top' });
      line.addTo(this.patrolLayer);
      dot.addTo(this.patrolLayer);
      this.patrols.set(patrol.key, { line, head: dot, signature });
    }
    for (const [key, drawn] of this.patrols) {
      if (seen.has(key)) continue;
      drawn.line.remove();
      drawn.head.remove();
      this.patrols.delete(key);
    }
  }

  viewport(): Viewport {
    const bounds = this.map.getBounds();
    const sw = this.projection.fromDisplay(bounds.getSouth(), bounds.getWest());
    const ne = this.projection.fromDisplay(bounds.getNorth(), bounds.getEast());
    const clamp = (value: number, limit: number) => Math.max(-limit, Math.min(limit, value));
    return {
      bbox: [clamp(sw.lng, 180), clamp(sw.lat, 90), clamp(ne.lng, 180), clamp(ne.lat, 90)],
      zoom: Math.round(this.map.getZoom()),
    };
  }

  /** Leaflet measures its container once; call after the container changes size. */
  invalidateSize(): void {
    this.map.invalidateSize();
  }

  private readonly emitViewport = () => {
    if (!this.destroyed) this.options.onViewport?.(this.viewport());
  };

  private readonly updateZoomClasses = () => {
    const container = this.map.getContainer();
    container.classList.toggle('mq-show-grid-labels', this.map.getZoom() >= GRID_LABEL_ZOOM);
    container.classList.toggle('mq-show-building-labels', this.map.getZoom() >= 17);
  };

  destroy(): void {
    this.destroyed = true;
    for (const pulse of this.pulses) clearTimeout(pulse.timer);
    this.pulses.length = 0;
    this.base?.remove();
    this.map.off();
    this.map.remove();
    this.markers.clear();
    this.units.clear();
    this.patrols.clear();
  }
}

function markerSignature(item: MapMarker): string {
  return item.kind === 'cluster'
    ? `c:${item.lng}:${item.lat}:${item.count}:${item.overdue}`
    : `m:${item.lng}:${item.lat}:${item.state}:${item.overdue}:${item.coarse}:${item.caseId ?? ''}`;
}

function clusterIcon(item: MapClusterMarker): L.DivIcon {
  const size = item.count < 10 ? 34 : item.count < 100 ? 42 : item.count < 1000 ? 50 : 58;
  const share = item.count > 0 ? item.overdue / item.count : 0;
  // The ring shows the overdue share as an arc of red: a cluster with overdue cases is visibly hot.
  const ring = `conic-gradient(${OVERDUE_COLOUR} 0 ${Math.round(share * 360)}deg, ${STATE_COLOURS.reported} ${Math.round(share * 360)}deg 360deg)`;
  return L.divIcon({
    className: 'mq-cluster',
    html: `<div class="mq-cluster-ring" style="width:${size}px;height:${size}px;background:${ring}"><div class="mq-cluster-count">${item.count}</div></div>`,
    iconSize: [size, size],
  });
}

function caseIcon(item: MapCaseMarker): L.DivIcon {
  const colour = markerColour(item.state, item.overdue);
  const classes = ['mq-case', item.overdue ? 'mq-case-overdue' : '', item.coarse ? 'mq-case-coarse' : '']
    .filter(Boolean)
    .join(' ');
  return L.divIcon({
    className: classes,
    html: `<span class="mq-case-dot" style="background:${colour}" data-state="${item.state}"></span>`,
    iconSize: [22, 22],
  });
}
