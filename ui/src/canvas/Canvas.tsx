import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  applyNodeChanges,
  useReactFlow,
  type Edge,
  type NodeChange,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { fromEdge, mergeNodes, toEdges, toNodes, type TileNode } from "../mapping/flow";
import { useApp } from "../store/app-store";
import { connect, disconnect, moveTiles, pointOf, removeTiles } from "../store/edits";
import { useJourney } from "../store/journey-store";
import { kinds } from "../tiles/kinds";
import { nodeTypes } from "./TileNode";

export function Canvas() {
  const doc = useJourney((s) => s.doc);
  const diagnostics = useJourney((s) => s.diagnostics);
  const selection = useJourney((s) => s.selection);
  const focus = useJourney((s) => s.focus);
  const edit = useJourney((s) => s.edit);
  const select = useJourney((s) => s.select);
  const catalog = useApp((s) => s.catalog);
  const flow = useReactFlow();

  const [nodes, setNodes] = useState<TileNode[]>(() => toNodes(doc, diagnostics, catalog, selection));
  useEffect(() => {
    setNodes((prev) => mergeNodes(prev, toNodes(doc, diagnostics, catalog, selection)));
  }, [doc, diagnostics, catalog, selection]);

  // Mark the first frame in which every tile is measured and visible (the open-to-paint bench).
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (painted || nodes.length === 0 || !nodes.every((n) => n.measured?.width)) return;
    setPainted(true);
    requestAnimationFrame(() => performance.mark("journey-painted"));
  }, [nodes, painted]);

  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const edges = useMemo(
    () => toEdges(doc).map((e) => ({ ...e, selected: selectedEdges.has(e.id) })),
    [doc, selectedEdges],
  );

  const onNodesChange = useCallback((changes: NodeChange<TileNode>[]) => {
    // Removal goes through onNodesDelete (the document); everything else is view state.
    setNodes((ns) => applyNodeChanges(changes.filter((c) => c.type !== "remove"), ns));
  }, []);

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
        onNodeClick={(_, n) => select(n.id)}
        onPaneClick={() => {
          select(null);
          setSelectedEdges(new Set());
        }}
        onEdgeClick={(_, e) => setSelectedEdges(new Set([e.id]))}
        onNodeDragStop={(_, __, dragged) =>
          edit((d) =>
            moveTiles(
              d,
              Object.fromEntries(dragged.map((n) => [n.id, { x: Math.round(n.position.x), y: Math.round(n.position.y) }])),
            ),
          )
        }
        onNodesDelete={(gone) => edit((d) => removeTiles(d, gone.map((n) => n.id)))}
        onEdgesDelete={(gone) => edit((d) => disconnect(d, gone.map(fromEdge)))}
        onConnect={(c) => {
          if (c.source && c.target)
            edit((d) => connect(d, { from: c.source, output: c.sourceHandle ?? "next", to: c.target }));
        }}
        isValidConnection={(c) => c.source !== c.target}
        deleteKeyCode={["Backspace", "Delete"]}
        fitView
        fitViewOptions={{ maxZoom: 1, padding: 0.25 }}
        minZoom={0.1}
        maxZoom={2}
        defaultEdgeOptions={{ type: "smoothstep" }}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#cbd5e1" />
        <Controls showInteractive={false} position="bottom-left" />
        <MiniMap
          pannable
          zoomable
          position="bottom-right"
          nodeColor={(n) => kinds[(n as TileNode).data.kind].accent}
          maskColor="rgba(241,245,249,0.7)"
        />
      </ReactFlow>
    </div>
  );
}
