import { Controller, Get } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { User } from './user.entity';

@Controller('users')
export class UsersController {
  constructor(@InjectRepository(User) private readonly userRepository: Repository<User>) {}

  @Get()
  async findAll() {
    const users = await this.userRepository.find({ take: 50 });
    const out = [];
    for (const user of users) {
      out.push({ name: user.name, posts: await user.posts }); // expect: n-plus-one-query
    }
    return out;
  }
}
