import { Controller, Get } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { TagEntity } from './tag.entity';

@Controller('tags')
export class TagController {
  constructor(@InjectRepository(TagEntity) private readonly tagRepository: Repository<TagEntity>) {}

  @Get() // expect: missing-response-cache
  async findAll() {
    const tags = await this.tagRepository.find({ take: 20 });
    return { tags: tags.map(tag => tag.tag) };
  }
}
