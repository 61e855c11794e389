import { useEffect, useRef, type RefObject } from 'react';
import type { BaseMapSettings } from './base-layer.ts';
import { MapController, type MapText, type MapTheme } from './map-controller.ts';
import type { GridLoad, MapCaseMarker, MapMarker, MapUnitFeature, PatrolTrack, Viewport } from './types.ts';

export interface LiveMapProps {
  theme: MapTheme;
  /** What the map shows, for screen readers. */
  label: string;
  text: MapText;
  baseMap: BaseMapSettings | null;
  units: MapUnitFeature[];
  focusId: string | null;
  gridLoad: Map<string, GridLoad>;
  markers: MapMarker[];
  patrols?: PatrolTrack[];
  zoomControl?: boolean;
  onViewport?: (viewport: Viewport) => void;
  onUnitClick?: (unit: MapUnitFeature) => void;
  onCaseClick?: (marker: MapCaseMarker) => void;
  onTilesFailed?: () => void;
  /** Gives the page the controller (to pulse where a live event happened). */
  controllerRef?: RefObject<MapController | null>;
  className?: string;
}

/** React's view of the shared map: one MapController for the component's life, fed by props. */
export function LiveMap(props: LiveMapProps) {
  const element = useRef<HTMLDivElement>(null);
  const controller = useRef<MapController | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    if (!element.current) return;
    const instance = new MapController(element.current, {
      theme: props.theme,
      zoomControl: props.zoomControl,
      text: {
        cluster: (count, overdue) => latest.current.text.cluster(count, overdue),
        openUnit: (name) => latest.current.text.openUnit(name),
      },
      onViewport: (viewport) => latest.current.onViewport?.(viewport),
      onUnitClick: (unit) => latest.current.onUnitClick?.(unit),
      onCaseClick: (marker) => latest.current.onCaseClick?.(marker),
      onTilesFailed: () => latest.current.onTilesFailed?.(),
    });
    controller.current = instance;
    if (props.controllerRef) props.controllerRef.current = instance;
    const observer = new ResizeObserver(() => instance.invalidateSize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.destroy();
      controller.current = null;
      if (props.controllerRef) props.controllerRef.current = null;
    };
    // The controller lives as long as the component; later prop changes are pushed by the effects below.
  }, []);

  useEffect(() => {
    if (props.baseMap) controller.current?.setBaseMap(props.baseMap);
  }, [props.baseMap]);

  useEffect(() => {
    controller.current?.setUnits(props.units, props.focusId);
  }, [props.units, props.focusId]);

  useEffect(() => {
    controller.current?.setGridLoad(props.gridLoad);
  }, [props.gridLoad]);

  useEffect(() => {
    controller.current?.setMarkers(props.markers);
  }, [props.markers]);

  useEffect(() => {
    controller.current?.setPatrols(props.patrols ?? []);
  }, [props.patrols]);

  return <div ref={element} className={props.className} role="region" aria-label={props.label} />;
}
