// The exit tile's inspector.
import type { TileOf } from "../../ipc";
import { NameField } from "./common";
import type { InspectorProps } from "./common";

export function ExitInspector({ tile, update }: InspectorProps<TileOf<"exit">>) {
  return (
    <>
      <NameField tile={tile} update={update} placeholder="Exit" />
      <p className="field-hint">Contacts who reach this tile leave the journey.</p>
    </>
  );
}
