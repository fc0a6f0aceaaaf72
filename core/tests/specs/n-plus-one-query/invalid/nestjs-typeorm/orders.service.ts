import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

@Injectable()
export class OrdersService {
  constructor(
    @InjectRepository(Order) private readonly orders: Repository<Order>,
    @InjectRepository(OrderLine) private readonly lines: Repository<OrderLine>,
  ) {}

  async listWithLines() {
    const orders = await this.orders.find({ take: 100 });
    for (const order of orders) {
      order.lines = await this.lines.findBy({ orderId: order.id }); // expect: n-plus-one-query
    }
    return orders;
  }
}
