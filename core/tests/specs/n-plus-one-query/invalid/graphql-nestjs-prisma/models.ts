import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class User {
  @Field(() => Int)
  id: number;
  @Field()
  name: string;
}

@ObjectType()
export class Post {
  @Field(() => Int)
  id: number;
  @Field()
  title: string;
  authorId: number;
}
