import { Controller, Get, Header } from '@nestjs/common';
import { PostsService } from './posts.service';

@Controller('tags')
export class TagsController {
  constructor(private readonly postsService: PostsService) {}

  @Get()
  @Header('Cache-Control', 'public, max-age=600')
  all() {
    return this.postsService.tags();
  }
}
