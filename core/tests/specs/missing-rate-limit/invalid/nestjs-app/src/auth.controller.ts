import { Body, Controller, Post } from '@nestjs/common';
import { AuthService } from './auth.service';

// No limiter anywhere: the app's finding covers this login route (one defect, one finding).
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  login(@Body() body: { email: string; password: string }) {
    return this.auth.login(body.email, body.password);
  }
}
