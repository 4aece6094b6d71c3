/**
 * What the window shows for the availability the service reports, following
 * the chatflow's configured behaviour.
 */
import {
	type AvailabilityState,
	type VisitorAvailability,
} from '@chatflows/protocol';
import type { ChatWindowTexts, PublicChatflowSettings } from '../page-settings';
import { fill, formatReturnTime } from './text';

export interface AvailabilityView {
	state: AvailabilityState | null;
	/** The notice under the heading; '' for none. */
	notice: string;
	/** The configured behaviour hides the launcher. */
	hideLauncher: boolean;
	/** Nobody can answer now: a new conversation starts as a message left with an e-mail address. */
	offlineForm: boolean;
}

/**
 * The view of an availability.
 *
 * @param availability What the service reported; null before it did.
 * @param settings     The chatflow's public availability settings (its messages).
 * @param texts        The window's texts.
 * @param locale       The chat's locale, for the return time.
 * @param timeZone     The visitor's time zone; the browser's own when omitted.
 */
export function availabilityView(
	availability: VisitorAvailability | null,
	settings: PublicChatflowSettings[ 'availability' ] | undefined,
	texts: ChatWindowTexts,
	locale: string,
	timeZone?: string
): AvailabilityView {
	const none: AvailabilityView = {
		state: availability ? availability.state : null,
		notice: '',
		hideLauncher: false,
		offlineForm: false,
	};
	// The service sends the behaviour it was configured with; the page's copy is the fallback.
	const behaviour = availability?.behaviour ?? settings;
	if ( ! availability || ! behaviour ) {
		return none;
	}
	const awayMessage = settings?.awayMessage ?? '';
	switch ( availability.state ) {
		case 'available':
			return {
				...none,
				notice: behaviour.showTypicalReplyTime
					? ( texts.replyTime[ behaviour.typicalReplyTime ] ?? '' )
					: '',
			};
		case 'away':
			return {
				...none,
				notice: awayMessage,
				hideLauncher: behaviour.whenAway === 'hide_launcher',
				offlineForm: true,
			};
		case 'offline': {
			const returnTime =
				behaviour.whenOffline === 'show_return_time' &&
				availability.nextReturnAt
					? formatReturnTime(
							availability.nextReturnAt,
							locale,
							timeZone
						)
					: '';
			return {
				...none,
				notice: {
					show_return_time: returnTime
						? fill( texts.returnTime, returnTime )
						: awayMessage,
					show_away_message: awayMessage,
					hide_launcher: awayMessage,
					nothing: '',
				}[ behaviour.whenOffline ],
				hideLauncher: behaviour.whenOffline === 'hide_launcher',
				offlineForm: behaviour.whenOffline !== 'nothing',
			};
		}
		case 'at_capacity':
			return {
				...none,
				notice:
					behaviour.whenAtCapacity === 'show_wait_message'
						? ( settings?.waitMessage ?? '' )
						: '',
				hideLauncher: behaviour.whenAtCapacity === 'hide_launcher',
			};
		default:
			return none;
	}
}
