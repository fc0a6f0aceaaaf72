// The database read is in a service, in another file.
import { Controller, Get, Param } from '@nestjs/common';
import { PostsService } from './posts.service';

@Controller('posts')
export class PostsController {
  constructor(private readonly postsService: PostsService) {}

  @Get(':id') // expect: missing-response-cache
  findOne(@Param('id') id: string) {
    return this.postsService.findOne(id);
  }
}
