import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Order } from './order.entity';

@Injectable()
export class OrdersService {
  constructor(@InjectRepository(Order) private readonly ordersRepository: Repository<Order>) {}

  async recent(userId: string) {
    const [items, total] = await this.ordersRepository.findAndCount({ where: { userId }, take: 5 });
    return { items, total };
  }
}
