import { Body, Controller, Post } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';

@Controller('auth')
export class AuthController {
  @Throttle({ default: { limit: 5, ttl: 900000 } })
  @Post('login')
  login(@Body() body: { email: string }) {
    return { ok: true };
  }
}
