import { Controller, Get, Param } from '@nestjs/common';
import { UsersService } from './users.service';
import { OrdersService } from './orders.service';

@Controller('users')
export class UsersController {
  constructor(
    private readonly usersService: UsersService,
    private readonly ordersService: OrdersService,
  ) {}

  @Get(':id/overview')
  async overview(@Param('id') id: string) {
    const user: User = await this.usersService.findOne(id); // expect: sequential-awaits
    const { items, total } = await this.ordersService.recent(id);
    return { user, items, total };
  }
}
