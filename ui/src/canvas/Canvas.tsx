import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  applyNodeChanges,
  useReactFlow,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type ReactFlowProps,
} from "@xyflow/react";
import { useCallback, useContext, useEffect, useMemo, useState } from "react";
import { quoted } from "../editor/describe";
import { useEditorCommands } from "../editor/EditorChrome";
import { FIT_LIMIT, tilesPhrase } from "../editor/commands";
import { connectionAllowed, fromEdge, mergeNodes, toEdges, toNodes, type TileNode } from "../mapping/flow";
import { useApp } from "../store/app-store";
import { connect, moveTiles, pointOf } from "../store/edits";
import { useJourney, useJourneyStoreApi } from "../store/journey-store";
import { kinds } from "../tiles/kinds";
import { OverlayContext, labelEdges } from "./overlay";
import { nodeTypes } from "./TileNode";

/** What a read-only canvas turns off. */
const READ_ONLY: Partial<ReactFlowProps<TileNode, Edge>> = {
  nodesDraggable: false,
  nodesConnectable: false,
  edgesReconnectable: false,
  onNodesChange: undefined,
  onEdgesChange: undefined,
  onConnect: undefined,
  onNodeDragStop: undefined,
  onNodeContextMenu: undefined,
  onSelectionContextMenu: undefined,
  onEdgeContextMenu: undefined,
  onPaneContextMenu: undefined,
};

/** `readOnly`: a published version — nothing moves, connects, opens a menu or is deleted. */
export function Canvas({ readOnly = false }: { readOnly?: boolean } = {}) {
  const doc = useJourney((s) => s.doc);
  const diagnostics = useJourney((s) => s.diagnostics);
  const selected = useJourney((s) => s.selected);
  const selectedEdges = useJourney((s) => s.selectedEdges);
  const focus = useJourney((s) => s.focus);
  const apply = useJourney((s) => s.apply);
  const store = useJourneyStoreApi();
  const catalog = useApp((s) => s.catalog);
  const flow = useReactFlow();
  const { openMenu } = useEditorCommands();

  const mapped = useCallback(() => toNodes(doc, diagnostics, catalog, new Set(selected)), [doc, diagnostics, catalog, selected]);
  const [nodes, setNodes] = useState<TileNode[]>(mapped);
  useEffect(() => {
    setNodes((prev) => mergeNodes(prev, mapped()));
  }, [mapped]);

  // Mark the first frame in which the tiles on screen are measured and visible (the
  // open-to-first-paint benchmark reads it through WebDriver).
  useEffect(() => {
    let frame = requestAnimationFrame(function poll() {
      const drawn = document.querySelectorAll<HTMLElement>(".react-flow__node");
      const ready = drawn.length > 0 && Array.from(drawn).every((n) => getComputedStyle(n).visibility !== "hidden");
      if (ready) performance.mark("journey-painted");
      else frame = requestAnimationFrame(poll);
    });
    return () => cancelAnimationFrame(frame);
  }, []);

  // Small journeys open fitted to the window; big ones open at a readable zoom on the start
  // tile (fitting 500 tiles would shrink them to unreadable dots).
  const [initialView] = useState(() => {
    if (doc.tiles.length <= FIT_LIMIT) return null;
    const start = doc.tiles.find((t) => t.type === "start");
    const p = pointOf(start ? doc.layout.positions[start.id] : undefined) ?? { x: 0, y: 0 };
    return { x: -p.x * 0.8 + 60, y: -p.y * 0.8 + 120, zoom: 0.8 };
  });

  const overlay = useContext(OverlayContext);
  const edges = useMemo(() => {
    const ids = new Set(selectedEdges);
    return labelEdges(
      toEdges(doc).map((e) => ({ ...e, selected: ids.has(e.id) })),
      overlay,
    );
  }, [doc, selectedEdges, overlay]);

  // Selection lives in the journey store (actions read it); React Flow reports clicks,
  // modifier-clicks and box selection as `select` changes.
  const onNodesChange = useCallback(
    (changes: NodeChange<TileNode>[]) => {
      const picks = changes.flatMap((c) => (c.type === "select" ? [c] : []));
      if (picks.length) {
        const s = store.getState();
        const next = s.selected.filter((id) => picks.every((c) => c.id !== id || c.selected));
        for (const c of picks) if (c.selected && !next.includes(c.id)) next.push(c.id);
        s.setSelection(next, next.length === s.selected.length ? s.selectedEdges : []);
      }
      // Removal is an action (one undoable step); everything else is view state.
      setNodes((ns) =>
        applyNodeChanges(
          changes.filter((c) => c.type !== "remove" && c.type !== "select"),
          ns,
        ),
      );
    },
    [store],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<Edge>[]) => {
      const picks = changes.flatMap((c) => (c.type === "select" ? [c] : []));
      if (!picks.length) return;
      const s = store.getState();
      const next = s.selectedEdges.filter((id) => picks.every((c) => c.id !== id || c.selected));
      for (const c of picks) if (c.selected && !next.includes(c.id)) next.push(c.id);
      s.setSelection(s.selected, next);
    },
    [store],
  );
  const menuAt = (e: { clientX: number; clientY: number }) => ({
    screen: { x: e.clientX, y: e.clientY },
    flow: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }),
  });

  useEffect(() => {
    if (!focus?.tileId) return;
    const p = pointOf(doc.layout.positions[focus.tileId]);
    if (p) void flow.setCenter(p.x + 120, p.y + 60, { zoom: Math.max(flow.getZoom(), 0.9), duration: 300 });
    // Centre only when a new focus is requested.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus?.nonce]);

  return (
    <div className="canvas" data-testid="canvas">
      <ReactFlow<TileNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onPaneClick={() => store.getState().setSelection([])}
        onNodeDragStop={(_, __, dragged) => {
          // One step per drag, recorded when it stops (never per frame).
          const moved = dragged.filter((n) => {
            const p = pointOf(doc.layout.positions[n.id]);
            return !p || Math.round(n.position.x) !== p.x || Math.round(n.position.y) !== p.y;
          });
          if (!moved.length) return;
          apply(`move ${tilesPhrase(moved.map((n) => n.data.tile))}`, (d) =>
            moveTiles(d, Object.fromEntries(moved.map((n) => [n.id, { x: Math.round(n.position.x), y: Math.round(n.position.y) }]))),
          );
        }}
        onConnect={(c) => {
          const from = doc.tiles.find((t) => t.id === c.source);
          const to = doc.tiles.find((t) => t.id === c.target);
          if (from && to)
            apply(`connect ${quoted(from)} to ${quoted(to)}`, (d) => connect(d, { from: c.source, output: c.sourceHandle ?? "next", to: c.target }));
        }}
        onNodeContextMenu={(e, n) => {
          e.preventDefault();
          const s = store.getState();
          if (!s.selected.includes(n.id)) s.setSelection([n.id]);
          openMenu({ kind: "tile", ...menuAt(e) });
        }}
        onSelectionContextMenu={(e) => {
          e.preventDefault();
          openMenu({ kind: "tile", ...menuAt(e) });
        }}
        onEdgeContextMenu={(e, edge) => {
          e.preventDefault();
          store.getState().setSelection([], [edge.id]);
          openMenu({ kind: "edge", link: fromEdge(edge), ...menuAt(e) });
        }}
        onPaneContextMenu={(e) => {
          e.preventDefault();
          openMenu({ kind: "pane", ...menuAt(e) });
        }}
        isValidConnection={(c) => connectionAllowed(doc, c)}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Shift", "Control", "Meta"]}
        fitView={initialView === null}
        defaultViewport={initialView ?? undefined}
        onlyRenderVisibleElements={doc.tiles.length > FIT_LIMIT}
        fitViewOptions={{ maxZoom: 1, padding: 0.25 }}
        minZoom={0.1}
        maxZoom={2}
        defaultEdgeOptions={{ type: "smoothstep" }}
        proOptions={{ hideAttribution: true }}
        {...(readOnly ? READ_ONLY : {})}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="var(--canvas-dots)" />
        <Controls showInteractive={false} position="bottom-left" fitViewOptions={{ maxZoom: 1, padding: 0.2 }} />
        <MiniMap
          style={{ width: 160, height: 100 }}
          pannable
          zoomable
          position="bottom-right"
          nodeColor={(n) => kinds[(n as TileNode).data.kind].accent}
          maskColor="var(--minimap-mask)"
        />
      </ReactFlow>
    </div>
  );
}
