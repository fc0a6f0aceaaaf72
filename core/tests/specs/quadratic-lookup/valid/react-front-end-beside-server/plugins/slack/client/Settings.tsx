// A plugin's client folder: its React settings page.
import React from "react";

export default function Settings({ channels, hooks }: { channels: any[]; hooks: any[] }) {
  const linked = channels.filter((c) => hooks.some((h) => h.channelId === c.id));
  return <div>{linked.length}</div>;
}
