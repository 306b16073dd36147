import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { MFA_REQUIREMENTS, type MfaRequirement } from '../mfa-requirement';

/** `PUT /admin/mfa/policy`: who must have a second factor from now on. */
export class SetMfaPolicyDto {
  @ApiProperty({
    enum: MFA_REQUIREMENTS,
    description: 'none: nobody; admins: people with the admin role; all: every person (bots never sign in)',
  })
  @IsIn(MFA_REQUIREMENTS, { message: `required must be one of ${MFA_REQUIREMENTS.join(', ')}` })
  required: MfaRequirement;
}

/** The MFA requirement in force and where it comes from (docs/mfa.md "Operator policy"). */
export class MfaPolicyView {
  @ApiProperty({ enum: MFA_REQUIREMENTS }) required: MfaRequirement;
  @ApiProperty({
    enum: ['admin', 'environment'],
    description: 'admin: stored by an admin, wins over MFA_REQUIRED; environment: MFA_REQUIRED (no value stored)',
  })
  source: 'admin' | 'environment';
  @ApiProperty({ enum: MFA_REQUIREMENTS, description: "This instance's MFA_REQUIRED" }) environment: MfaRequirement;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'When an admin set it (ISO 8601)' }) updatedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The user id of the admin who set it' }) updatedBy: string | null;
}
