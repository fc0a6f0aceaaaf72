import { Body, Controller, Post } from '@nestjs/common';
import { ShippingService } from './shipping.service';

@Controller('shipping')
export class ShippingController {
  constructor(private readonly shippingService: ShippingService) {}

  @Post('quotes')
  quotes(@Body() body: { parcels: Parcel[] }) {
    return this.shippingService.quoteAll(body.parcels);
  }
}
