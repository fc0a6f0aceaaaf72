// A Next.js route handler written as .tsx (it renders an e-mail with React): server code.
import { NextResponse } from "next/server";
import * as React from "react";

export async function POST(request: Request) {
  const { members, groups } = await request.json();
  const rows = members.map((m: any) => ({ ...m, group: groups.find((g: any) => g.id === m.groupId) })); // expect: quadratic-lookup
  return NextResponse.json(rows);
}
