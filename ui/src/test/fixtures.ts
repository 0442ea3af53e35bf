import type { Catalog, Journey } from "../ipc";
import catalogJson from "../../../journeys/samples/catalog.json";

export const catalog = catalogJson as unknown as Catalog;

export function journey(): Journey {
  return {
    schemaVersion: 1,
    id: "j1",
    name: "Renewals",
    audience: "contact",
    timeZone: "America/Chicago",
    tiles: [
      { type: "start", id: "start", name: "", start: null },
      {
        type: "voiceConversation",
        id: "v1",
        name: "",
        engagementId: "eng-renewals-voice",
        sendTo: "mobilePhone",
        complianceProfileId: "cp-us-marketing",
        purposeId: "pur-promotions",
        topicId: null,
        quietTime: { mode: "inherit" },
      },
      {
        type: "waitForTrigger",
        id: "w1",
        name: "",
        condition: { kind: "previousMessage", tileId: "v1" },
        branches: [
          { id: "a", name: "", interaction: "voiceCallAttempted", conditions: [] },
          { id: "n", name: "Retry later", interaction: "voiceCallNotAttempted", conditions: [] },
        ],
        timeLimit: { amount: 7, unit: "days" },
      },
      { type: "exit", id: "x1", name: "Done" },
    ],
    connections: [
      { from: "start", output: "next", to: "v1" },
      { from: "v1", output: "next", to: "w1" },
      { from: "w1", output: "a", to: "x1" },
      { from: "w1", output: "other", to: "x1" },
    ],
    layout: { positions: { start: { x: 0, y: 0 }, v1: { x: 300, y: 0 }, w1: { x: 600, y: 0 }, x1: { x: 900, y: 0 } } },
  };
}
