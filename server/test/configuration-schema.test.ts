/**
 * What the service takes from WordPress is held to the settings schema's own
 * limits and rules (`@chatflows/chatflow-model`): every chatflow WordPress
 * accepted passes, up to the last character it allows, and nothing beyond.
 */
import { type CompiledChatflow, MAX_ATTACHMENT_MB } from '@chatflows/protocol';
import { SETTINGS_LIMITS } from '@chatflows/chatflow-model';
import { compiledChatflowSchema } from '../src/chatflow-sync/schema';
import { chatflow } from './repository-domain';

/** An emoji: one character as WordPress counts, two UTF-16 units. */
const EMOJI = '😀';

function issuesOf( flow: CompiledChatflow ): string[] {
	const result = compiledChatflowSchema.safeParse( flow );
	return result.success
		? []
		: result.error.issues.map( ( issue ) => issue.path.join( '.' ) );
}

describe( 'a compiled chatflow', () => {
	it( 'passes at every limit the settings schema allows', () => {
		const texts = {
			en_US: EMOJI.repeat( 1000 ),
			da_DK: 'x'.repeat( 1000 ),
			nl_NL: '',
		};
		expect(
			issuesOf( {
				...chatflow( 'limits', 1 ),
				idleCloseMinutes: 10080,
				ticket: {
					pipeline: EMOJI.repeat( 100 ),
					status: 'é'.repeat( 100 ),
					priority: 'urgent',
					category: EMOJI.repeat( 100 ),
				},
				alias: EMOJI.repeat( 100 ),
				attachments: { enabled: true, maxSizeMb: 10 },
				survey: { enabled: true, question: texts },
				texts: { welcome: texts, away: texts, wait: texts },
				availability: {
					mode: 'office_hours',
					timeZone: 'Europe/Copenhagen',
					hours: [
						{ day: 1, start: '00:00', end: '12:00' },
						{ day: 1, start: '12:00', end: '24:00' },
					],
				},
			} )
		).toEqual( [] );
	} );

	it( 'refuses what the settings schema refuses, naming the field', () => {
		const flow = chatflow( 'beyond', 1 );
		expect( issuesOf( { ...flow, idleCloseMinutes: 10081 } ) ).toEqual( [
			'idleCloseMinutes',
		] );
		expect(
			issuesOf( {
				...flow,
				texts: {
					...flow.texts,
					welcome: { en_US: 'x'.repeat( 1001 ) },
				},
			} )
		).toEqual( [ 'texts.welcome.en_US' ] );
		expect(
			issuesOf( {
				...flow,
				ticket: { ...flow.ticket, status: EMOJI.repeat( 101 ) },
			} )
		).toEqual( [ 'ticket.status' ] );
	} );

	it( 'refuses office hours the settings rules refuse, naming the range', () => {
		expect(
			issuesOf( {
				...chatflow( 'hours', 1 ),
				availability: {
					mode: 'office_hours',
					timeZone: 'UTC',
					hours: [
						{ day: 2, start: '09:00', end: '17:00' },
						{ day: 2, start: '10:00', end: '11:00' },
						{ day: 3, start: '17:00', end: '09:00' },
						{ day: 4, start: '24:00', end: '24:00' },
					],
				},
			} ).sort()
		).toEqual( [
			'availability.hours.1.start',
			'availability.hours.2.end',
			'availability.hours.3.start',
		] );
	} );

	it( 'never lets a chatflow allow larger files than the service takes', () => {
		expect( SETTINGS_LIMITS.attachmentMb ).toBeLessThanOrEqual(
			MAX_ATTACHMENT_MB
		);
	} );
} );
