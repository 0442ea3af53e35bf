// Property panels, one per tile kind, registered exhaustively like the tile kinds.
import type { ComponentType } from "react";
import type { TileOf, TileType } from "../../ipc";
import { AttributeBranchInspector } from "./attributeBranch";
import type { InspectorProps } from "./common";
import { ExitInspector } from "./exit";
import { StartInspector } from "./start";
import { VoiceInspector } from "./voice";
import { WaitForTriggerInspector } from "./waitForTrigger";
import { WaitTimeInspector } from "./waitTime";

export { useTileUpdate } from "./common";

export const inspectors: { [T in TileType]: ComponentType<InspectorProps<TileOf<T>>> } = {
  start: StartInspector,
  voiceConversation: VoiceInspector,
  waitForTrigger: WaitForTriggerInspector,
  attributeBranch: AttributeBranchInspector,
  waitTime: WaitTimeInspector,
  exit: ExitInspector,
};
