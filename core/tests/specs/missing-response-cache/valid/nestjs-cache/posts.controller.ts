// NestJS: the cache interceptor on the controller, and a header on another controller.
import { Controller, Get, Header, Param, UseInterceptors } from '@nestjs/common';
import { CacheInterceptor, CacheTTL } from '@nestjs/cache-manager';
import { PostsService } from './posts.service';

@Controller('posts')
@UseInterceptors(CacheInterceptor)
export class PostsController {
  constructor(private readonly postsService: PostsService) {}

  @Get(':id')
  @CacheTTL(60)
  findOne(@Param('id') id: string) {
    return this.postsService.findOne(id);
  }
}
