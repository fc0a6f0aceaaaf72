// A Nest app made only to emit the GraphQL schema at build time (hoppscotch's gql-schema.ts):
// created, initialised and closed, never listening. It serves no response to compress.
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'fs';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { printSchema } from 'graphql';

export async function emitGQLSchemaFile() {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule);
  await app.init();
  const factory = app.get(GraphQLSchemaFactory);
  const schema = await factory.create([], []);
  writeFileSync('schema.gql', printSchema(schema));
  await app.close();
}
