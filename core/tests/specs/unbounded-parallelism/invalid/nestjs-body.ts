import { Body, Controller, Post } from '@nestjs/common';
import axios from 'axios';

@Controller('webhooks')
export class WebhooksController {
  @Post('fan-out')
  async fanOut(@Body() body: { targets: string[]; event: unknown }) {
    const results = await Promise.all(body.targets.map((url) => axios.get(url, { params: { ping: 1 } }))); // expect: unbounded-parallelism
    return { delivered: results.length };
  }
}
