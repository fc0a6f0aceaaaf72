// A Nest app made only to emit the GraphQL schema at build time (hoppscotch's gql-schema.ts):
// created, initialised, asked for a service, never listening nor handed on. It serves no
// response to compress.
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'fs';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { printSchema } from 'graphql';

export async function emitGQLSchemaFile() {
  try {
    const app = await NestFactory.create(GraphQLSchemaBuilderModule);
    await app.init();
    const factory = app.get(GraphQLSchemaFactory);
    const schema = await factory.create([], []);
    writeFileSync('schema.gql', printSchema(schema));
  } catch (e) {
    console.error(e);
  }
}
