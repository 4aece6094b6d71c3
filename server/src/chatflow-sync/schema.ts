/**
 * Zod schemas of what WordPress sends (see `@chatflows/protocol`).
 * Nothing is stored unless all of it is valid. What comes from a chatflow's
 * settings is held to the settings schema's own limits and rules
 * (`@chatflows/chatflow-model`), which WordPress checked before saving: every
 * chatflow WordPress accepted passes here.
 */
import { z } from 'zod';
import type {
	CompiledChatflow,
	ServiceConfiguration,
	Weekday,
} from '@chatflows/protocol';
import {
	characterCount,
	officeHoursIssues,
	SETTINGS_CHOICES,
	SETTINGS_LIMITS,
	TIME_OF_DAY_PATTERN,
} from '@chatflows/chatflow-model';
import { isValidTimeZone } from '../availability';
import { SLUG_PATTERN } from '../validation';

/** Longest retention of closed conversations WordPress may ask for (ten years). */
export const MAX_RETENTION_DAYS = 3650;

const idSchema = z
	.string()
	.regex( SLUG_PATTERN, 'must be 1–64 characters of A–Z, a–z, 0–9, _ or -' );

/**
 * A text of at most `maxLength` characters, counted as the settings schema
 * and WordPress count them (an emoji is one).
 *
 * @param maxLength The most characters.
 */
function textOfAtMost( maxLength: number ) {
	return z
		.string()
		.refine(
			( text ) => characterCount( text ) <= maxLength,
			`must be at most ${ maxLength } characters`
		);
}

const rangeSchema = z.object( {
	day: z
		.number()
		.int()
		.min( 0 )
		.max( 6 )
		.transform( ( day ) => day as Weekday ),
	start: z.string().regex( TIME_OF_DAY_PATTERN ),
	end: z.string().regex( TIME_OF_DAY_PATTERN ),
} );

/** Office hours as the settings' rules take them: valid times, each range non-empty, no overlaps. */
const officeHoursSchema = z
	.array( rangeSchema )
	.max( SETTINGS_LIMITS.officeHoursRanges )
	.superRefine( ( hours, context ) => {
		for ( const [ path, issue ] of Object.entries(
			officeHoursIssues( hours, 'hours' )
		) ) {
			const [ , index, field ] =
				/^hours\[(\d+)\]\.(\w+)$/.exec( path ) ?? [];
			context.addIssue( {
				code: 'custom',
				path: [ Number( index ), field ],
				message: issue.code.replace( /_/g, ' ' ),
			} );
		}
	} );

/** Texts by locale; a locale WordPress may add keeps working, its text held to the schema's length. */
const localizedTextSchema = z.record(
	z.string().max( 20 ),
	textOfAtMost( SETTINGS_LIMITS.textLength )
);

const availabilitySchema = z.discriminatedUnion( 'mode', [
	z.object( { mode: z.literal( 'always' ) } ),
	z.object( { mode: z.literal( 'users' ) } ),
	z.object( {
		mode: z.literal( 'office_hours' ),
		timeZone: z
			.string()
			.refine( isValidTimeZone, 'must be an IANA time zone' ),
		hours: officeHoursSchema,
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
		userIds: z.array( idSchema ).max( SETTINGS_LIMITS.assignedUsers ),
		teamIds: z.array( idSchema ).max( SETTINGS_LIMITS.assignedTeams ),
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
		typicalReplyTime: z.enum( SETTINGS_CHOICES.typicalReplyTime ),
		whenAway: z.enum( SETTINGS_CHOICES.whenAway ),
		whenOffline: z.enum( SETTINGS_CHOICES.whenOffline ),
		whenAtCapacity: z.enum( SETTINGS_CHOICES.whenAtCapacity ),
	} ),
	idleCloseMinutes: z
		.number()
		.int()
		.min( 0 )
		.max( SETTINGS_LIMITS.idleCloseMinutes ),
	ticket: z.object( {
		pipeline: textOfAtMost( SETTINGS_LIMITS.ticketPropertyLength ),
		status: textOfAtMost( SETTINGS_LIMITS.ticketPropertyLength ),
		priority: z.enum( SETTINGS_CHOICES.ticketPriority ),
		category: textOfAtMost( SETTINGS_LIMITS.ticketPropertyLength ),
	} ),
	emailCapture: z.object( {
		enabled: z.boolean(),
		when: z.enum( SETTINGS_CHOICES.emailCaptureWhen ),
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
			maxSizeMb: z
				.number()
				.int()
				.min( 1 )
				.max( SETTINGS_LIMITS.attachmentMb ),
		} )
		.optional(),
	alias: textOfAtMost( SETTINGS_LIMITS.teamNameLength ).optional(),
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
