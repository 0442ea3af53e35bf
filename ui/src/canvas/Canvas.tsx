import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  applyNodeChanges,
  useReactFlow,
  type Connection as FlowConnection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type ReactFlowProps,
} from "@xyflow/react";
import { useCallback, useContext, useEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent } from "react";
import { quoted } from "../editor/describe";
import { useEditorCommands } from "../editor/EditorChrome";
import { FIT_LIMIT, tilesPhrase } from "../editor/commands";
import { connectionAllowed, fromEdge, toEdges, updateNodes, type MapInput, type TileNode } from "../mapping/flow";
import { connect, moveTiles, pointOf } from "../store/edits";
import { useJourney, useJourneyStoreApi } from "../store/journey-store";
import { tileById, tileIndex } from "../store/tile-index";
import { kinds } from "../tiles/kinds";
import { OverlayContext, labelEdges } from "./overlay";
import { CompareMarksContext } from "../features/review/marks";
import { nodeTypes } from "./TileNode";

// Props handed to React Flow keep their identity between renders: each changed prop is one
// more update of React Flow's store, which every drawn tile and the minimap re-check.
const FIT_VIEW_OPTIONS = { maxZoom: 1, padding: 0.25 };
const CONTROLS_FIT_OPTIONS = { maxZoom: 1, padding: 0.2 };
const EDGE_OPTIONS = { type: "smoothstep" };
const PRO_OPTIONS = { hideAttribution: true };
const MULTI_SELECTION_KEYS = ["Shift", "Control", "Meta"];
const MINIMAP_STYLE = { width: 160, height: 100 };
const minimapColor = (n: TileNode) => kinds[n.data.kind].accent;
/**
 * Above this many tiles the minimap is off: React Flow's minimap keeps a subscription and a
 * rectangle per tile and measures every tile's bounds on each change of the canvas, which at
 * 10,000 tiles cost more than the edit itself (BENCHMARKS.md, edit → badges).
 */
const MINIMAP_LIMIT = 2000;

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
  const selected = useJourney((s) => s.selected);
  const selectedEdges = useJourney((s) => s.selectedEdges);
  const focus = useJourney((s) => s.focus);
  const store = useJourneyStoreApi();
  const flow = useReactFlow();
  const { openMenu } = useEditorCommands();

  // Nodes change only with a move, a selection or an added or removed tile (updateNodes),
  // computed while rendering rather than in an effect, so React Flow gets them in the same
  // commit. A tile's fields and problems are not part of them: each drawn tile reads its own
  // (TileNode), so an edit of a field and a validation leave React Flow alone.
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const input = useMemo<MapInput>(() => ({ doc, selected: selectedSet }), [doc, selectedSet]);
  const [mapped, setMapped] = useState(() => ({ input, nodes: updateNodes([], input, input) }));
  let view = mapped;
  if (mapped.input !== input) {
    view = { input, nodes: updateNodes(mapped.nodes, mapped.input, input) };
    setMapped(view);
  }
  const nodes = view.nodes;

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
  const marks = useContext(CompareMarksContext);
  const selectedEdgeSet = useMemo(() => new Set(selectedEdges), [selectedEdges]);
  // Edges are mapped again only when the connections, the tile ids or the selection change
  // (the tile index stays the same object while the ids do).
  const connections = doc.connections;
  const ids = tileIndex(doc.tiles);
  const [linked, setLinked] = useState(() => ({ connections, ids, selected: selectedEdgeSet, edges: toEdges(doc, selectedEdgeSet) }));
  let links = linked;
  if (linked.connections !== connections || linked.ids !== ids || linked.selected !== selectedEdgeSet) {
    links = { connections, ids, selected: selectedEdgeSet, edges: toEdges(doc, selectedEdgeSet, linked.edges) };
    setLinked(links);
  }
  const plainEdges = links.edges;
  const edges = useMemo(() => {
    const marked = marks
      ? plainEdges.map((e) => {
          const mark = marks.edges[e.id];
          return mark ? { ...e, className: `edge-compare-${mark}` } : e;
        })
      : plainEdges;
    return labelEdges(marked, overlay);
  }, [plainEdges, overlay, marks]);

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
      const view = changes.filter((c) => c.type !== "remove" && c.type !== "select");
      if (view.length) setMapped((m) => ({ ...m, nodes: applyNodeChanges(view, m.nodes) }));
      // A move that is not a pointer drag (React Flow moves selected tiles by the arrow keys):
      // an edit of the document, one undo step per burst of presses.
      if (!dragging.current) {
        const moves = Object.fromEntries(
          changes.flatMap((c) =>
            c.type === "position" && c.position && !c.dragging ? [[c.id, { x: Math.round(c.position.x), y: Math.round(c.position.y) }]] : [],
          ),
        );
        if (Object.keys(moves).length) store.getState().moveByKeys(moves, performance.now());
      }
    },
    [store],
  );
  const dragging = useRef(false);
  const onNodeDragStart = useCallback(() => {
    dragging.current = true;
  }, []);
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
  const menuAt = useCallback(
    (e: { clientX: number; clientY: number }) => ({
      screen: { x: e.clientX, y: e.clientY },
      flow: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }),
    }),
    [flow],
  );
  const onPaneClick = useCallback(() => store.getState().setSelection([]), [store]);
  // A read-only canvas takes no node changes; a click still selects the tile (its insight).
  const onReadOnlyClick = useCallback((_: ReactMouseEvent, n: TileNode) => store.getState().setSelection([n.id]), [store]);
  const onNodeDragStop = useCallback(
    (_: unknown, __: TileNode, dragged: TileNode[]) => {
      dragging.current = false;
      // One step per drag, recorded when it stops (never per frame).
      const s = store.getState();
      const moved = dragged.filter((n) => {
        const p = pointOf(s.doc.layout.positions[n.id]);
        return !p || Math.round(n.position.x) !== p.x || Math.round(n.position.y) !== p.y;
      });
      if (!moved.length) return;
      s.apply(`move ${tilesPhrase(moved.flatMap((n) => tileById(s.doc, n.id) ?? []))}`, (d) =>
        moveTiles(d, Object.fromEntries(moved.map((n) => [n.id, { x: Math.round(n.position.x), y: Math.round(n.position.y) }]))),
      );
    },
    [store],
  );
  const onConnect = useCallback(
    (c: FlowConnection) => {
      const s = store.getState();
      const from = tileById(s.doc, c.source);
      const to = tileById(s.doc, c.target);
      if (from && to)
        s.apply(`connect ${quoted(from)} to ${quoted(to)}`, (d) => connect(d, { from: c.source, output: c.sourceHandle ?? "next", to: c.target }));
    },
    [store],
  );
  const onNodeContextMenu = useCallback(
    (e: ReactMouseEvent, n: TileNode) => {
      e.preventDefault();
      const s = store.getState();
      if (!s.selected.includes(n.id)) s.setSelection([n.id]);
      openMenu({ kind: "tile", ...menuAt(e) });
    },
    [store, openMenu, menuAt],
  );
  const onSelectionContextMenu = useCallback(
    (e: ReactMouseEvent) => {
      e.preventDefault();
      openMenu({ kind: "tile", ...menuAt(e) });
    },
    [openMenu, menuAt],
  );
  const onEdgeContextMenu = useCallback(
    (e: ReactMouseEvent, edge: Edge) => {
      e.preventDefault();
      store.getState().setSelection([], [edge.id]);
      openMenu({ kind: "edge", link: fromEdge(edge), ...menuAt(e) });
    },
    [store, openMenu, menuAt],
  );
  const onPaneContextMenu = useCallback(
    (e: ReactMouseEvent | MouseEvent) => {
      e.preventDefault();
      openMenu({ kind: "pane", ...menuAt(e) });
    },
    [openMenu, menuAt],
  );
  const isValidConnection = useCallback((c: Edge | FlowConnection) => connectionAllowed(store.getState().doc, c), [store]);

  useEffect(() => {
    if (!focus?.tileId) return;
    const p = pointOf(doc.layout.positions[focus.tileId]);
    if (p) void flow.setCenter(p.x + 120, p.y + 60, { zoom: Math.max(flow.getZoom(), 0.9), duration: 300 });
    // Centre only when a new focus is requested.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus?.nonce]);

  // The same element while nothing React Flow is given changes: an edit of a tile's fields
  // draws that tile (it reads the store) and the inspector, not React Flow's tree.
  const tileCount = doc.tiles.length;
  const flowView = useMemo(
    () => (
      <ReactFlow<TileNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onPaneClick={onPaneClick}
        onNodeDragStart={onNodeDragStart}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onNodeContextMenu={onNodeContextMenu}
        onSelectionContextMenu={onSelectionContextMenu}
        onEdgeContextMenu={onEdgeContextMenu}
        onPaneContextMenu={onPaneContextMenu}
        isValidConnection={isValidConnection}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECTION_KEYS}
        fitView={initialView === null}
        defaultViewport={initialView ?? undefined}
        onlyRenderVisibleElements={tileCount > FIT_LIMIT}
        fitViewOptions={FIT_VIEW_OPTIONS}
        minZoom={0.1}
        maxZoom={2}
        defaultEdgeOptions={EDGE_OPTIONS}
        proOptions={PRO_OPTIONS}
        {...(readOnly ? { ...READ_ONLY, onNodeClick: onReadOnlyClick } : {})}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="var(--canvas-dots)" />
        <Controls showInteractive={false} position="bottom-left" fitViewOptions={CONTROLS_FIT_OPTIONS} />
        {tileCount <= MINIMAP_LIMIT ? (
          <MiniMap style={MINIMAP_STYLE} pannable zoomable position="bottom-right" nodeColor={minimapColor} maskColor="var(--minimap-mask)" />
        ) : (
          <Panel position="bottom-right" className="minimap-off" data-testid="minimap-off">
            No minimap above {MINIMAP_LIMIT.toLocaleString("en-US")} tiles · Ctrl+K finds a tile
          </Panel>
        )}
      </ReactFlow>
    ),
    [
      nodes,
      edges,
      onNodesChange,
      onEdgesChange,
      onPaneClick,
      onNodeDragStart,
      onNodeDragStop,
      onConnect,
      onNodeContextMenu,
      onSelectionContextMenu,
      onEdgeContextMenu,
      onPaneContextMenu,
      isValidConnection,
      initialView,
      tileCount,
      readOnly,
      onReadOnlyClick,
    ],
  );

  return (
    <div className="canvas" data-testid="canvas">
      {flowView}
    </div>
  );
}
