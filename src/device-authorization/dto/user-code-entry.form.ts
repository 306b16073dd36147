import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** The verification page's form: the code the user typed (RFC 8628 §3.3). */
export class UserCodeEntryForm {
  @IsString()
  @MaxLength(32)
  user_code: string;

  /** Checked by the session cookie strategy before the handler runs. */
  @IsOptional()
  @IsString()
  _csrf?: string;
}

/** The device consent form: the code again (validated again) and the decision. */
export class DeviceDecisionForm extends UserCodeEntryForm {
  @IsIn(['approve', 'deny'])
  decision: 'approve' | 'deny';
}
