import { useEffect, useState, type ReactNode } from 'react';

export const STAGE_WIDTH = 1920;
export const STAGE_HEIGHT = 1080;

function fit(): { scale: number; left: number; top: number } {
  const scale = Math.min(window.innerWidth / STAGE_WIDTH, window.innerHeight / STAGE_HEIGHT);
  return {
    scale,
    left: Math.max(0, (window.innerWidth - STAGE_WIDTH * scale) / 2),
    top: Math.max(0, (window.innerHeight - STAGE_HEIGHT * scale) / 2),
  };
}

/**
 * The screen is laid out once, at 1920×1080, and scaled to whatever display it is shown on: a 4K wall
 * or a 1366×768 office monitor shows the same picture, letterboxed where the aspect ratio differs.
 */
export function Stage({ children }: { children: ReactNode }) {
  const [box, setBox] = useState(fit);
  useEffect(() => {
    const onResize = () => setBox(fit());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return (
    <div className="stage-letterbox">
      <div
        className="stage"
        data-scale={box.scale.toFixed(4)}
        style={{
          width: STAGE_WIDTH,
          height: STAGE_HEIGHT,
          transform: `translate(${box.left}px, ${box.top}px) scale(${box.scale})`,
        }}
      >
        {children}
      </div>
    </div>
  );
}
