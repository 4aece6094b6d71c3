/**
 * Zod schemas of what WordPress sends (see `@chatflows/protocol`).
 * Nothing is stored unless all of it is valid.
 */
import { z } from 'zod';
import {
	type CompiledChatflow,
	MAX_ATTACHMENT_MB,
	type ServiceConfiguration,
	type Weekday,
} from '@chatflows/protocol';
import {
	isValidTimeZone,
	minutesOfDay,
	TIME_OF_DAY_PATTERN,
} from '../availability';
import { SLUG_PATTERN } from '../validation';

/** Longest retention of closed conversations WordPress may ask for (ten years). */
export const MAX_RETENTION_DAYS = 3650;

const idSchema = z
	.string()
	.regex( SLUG_PATTERN, 'must be 1–64 characters of A–Z, a–z, 0–9, _ or -' );

const timeSchema = z
	.string()
	.regex( TIME_OF_DAY_PATTERN, 'must be a time like 09:00 (00:00–24:00)' );

const rangeSchema = z
	.object( {
		day: z
			.number()
			.int()
			.min( 0 )
			.max( 6 )
			.transform( ( day ) => day as Weekday ),
		start: timeSchema.refine(
			( value ) => value !== '24:00',
			'must be before 24:00'
		),
		end: timeSchema,
	} )
	.refine(
		( range ) =>
			! TIME_OF_DAY_PATTERN.test( range.start ) ||
			! TIME_OF_DAY_PATTERN.test( range.end ) ||
			minutesOfDay( range.start ) !== minutesOfDay( range.end ),
		{ message: 'must not end when it starts', path: [ 'end' ] }
	);

const localizedTextSchema = z.record(
	z.string().max( 20 ),
	z.string().max( 2000 )
);

const availabilitySchema = z.discriminatedUnion( 'mode', [
	z.object( { mode: z.literal( 'always' ) } ),
	z.object( { mode: z.literal( 'users' ) } ),
	z.object( {
		mode: z.literal( 'office_hours' ),
		timeZone: z
			.string()
			.refine( isValidTimeZone, 'must be an IANA time zone' ),
		hours: z.array( rangeSchema ).max( 100 ),
	} ),
] );

export const compiledChatflowSchema = z.object( {
	id: idSchema,
	version: z.number().int().min( 0 ).max( Number.MAX_SAFE_INTEGER ),
	enabled: z.boolean(),
	name: z.string().max( 200 ),
	inboxId: z.string().max( 64 ),
	assignment: z.object( {
		enabled: z.boolean(),
		userIds: z.array( idSchema ).max( 1000 ),
		teamIds: z.array( idSchema ).max( 1000 ),
		rules: z
			.array(
				z.object( {
					when: z.object( {
						pageUrlContains: z
							.string()
							.min( 1 )
							.max( 500 )
							.optional(),
						visitorLanguage: z
							.string()
							.min( 2 )
							.max( 20 )
							.optional(),
					} ),
					teamId: idSchema,
				} )
			)
			.max( 100 ),
	} ),
	availability: availabilitySchema,
	behaviour: z.object( {
		showTypicalReplyTime: z.boolean(),
		typicalReplyTime: z.enum( [ 'minutes', 'hour', 'hours', 'day' ] ),
		whenAway: z.enum( [ 'show_away_message', 'hide_launcher' ] ),
		whenOffline: z.enum( [
			'show_return_time',
			'show_away_message',
			'hide_launcher',
			'nothing',
		] ),
		whenAtCapacity: z.enum( [
			'show_wait_message',
			'hide_launcher',
			'nothing',
		] ),
	} ),
	idleCloseMinutes: z
		.number()
		.int()
		.min( 0 )
		.max( 60 * 24 * 365 ),
	ticket: z.object( {
		pipeline: z.string().max( 100 ),
		status: z.string().max( 100 ),
		priority: z.enum( [ 'low', 'medium', 'high', 'urgent' ] ),
		category: z.string().max( 100 ),
	} ),
	emailCapture: z.object( {
		enabled: z.boolean(),
		when: z.enum( [
			'before_chat',
			'after_first_message',
			'when_offline',
		] ),
	} ),
	survey: z.object( {
		enabled: z.boolean(),
		question: localizedTextSchema,
	} ),
	contacts: z
		.object( {
			marketing: z.boolean(),
			subscriptionType: z.string().max( 100 ),
		} )
		.optional(),
	attachments: z
		.object( {
			enabled: z.boolean(),
			maxSizeMb: z.number().int().min( 1 ).max( MAX_ATTACHMENT_MB ),
		} )
		.optional(),
	alias: z.string().max( 100 ).optional(),
	texts: z.object( {
		welcome: localizedTextSchema,
		away: localizedTextSchema,
		wait: localizedTextSchema,
	} ),
} ) satisfies z.ZodType< CompiledChatflow >;

export const serviceConfigurationSchema = z.object( {
	siteUrl: z.string().max( 2048 ),
	allowedOrigins: z.array( z.string().max( 2048 ) ).max( 100 ),
	chatflows: z
		.array( compiledChatflowSchema )
		.max( 1000 )
		.refine(
			( flows ) =>
				new Set( flows.map( ( flow ) => flow.id ) ).size ===
				flows.length,
			'must not list a chatflow id twice'
		),
	agents: z
		.array(
			z.object( {
				id: idSchema,
				name: z.string().max( 250 ),
				capacity: z.number().int().min( 0 ).max( 10000 ),
				teamIds: z.array( idSchema ).max( 1000 ),
				inboxIds: z.array( z.string().max( 64 ) ).max( 1000 ),
			} )
		)
		.max( 10000 ),
	teams: z
		.array(
			z.object( {
				id: idSchema,
				name: z.string().max( 250 ),
				memberIds: z.array( idSchema ).max( 10000 ),
			} )
		)
		.max( 1000 ),
	inboxes: z
		.array(
			z.object( {
				id: z.string().max( 64 ),
				name: z.string().max( 250 ),
			} )
		)
		.max( 1000 ),
	retention: z
		.object( {
			closedConversationDays: z
				.number()
				.int( 'must be a whole number of days' )
				.min( 0, 'must be 0 to 3650 days' )
				.max( MAX_RETENTION_DAYS, 'must be 0 to 3650 days' ),
		} )
		.optional(),
} ) satisfies z.ZodType< ServiceConfiguration >;
