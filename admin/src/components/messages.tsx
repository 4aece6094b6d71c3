/**
 * Notices for the outcome of an admin action, shared by the chatflow list,
 * the editor and the teams screen so they all report results the same way.
 */
import { Notice } from '@wordpress/components';

/** One outcome to show the person: its kind and its (translated) text. */
export type Message = {
	status: 'success' | 'warning' | 'error';
	text: string;
};

/**
 * One Notice per message, keyed by its text (a text shows once at a time).
 *
 * @param props          Component props.
 * @param props.messages The messages to show, in order.
 * @param props.onRemove Called when the person dismisses one; without it the
 *                       notices cannot be dismissed (e.g. inside a dialog,
 *                       where the dialog itself is what gets closed).
 */
export function MessageNotices( {
	messages,
	onRemove,
}: {
	messages: Message[];
	onRemove?: ( message: Message ) => void;
} ) {
	return (
		<>
			{ messages.map( ( message ) => (
				<Notice
					key={ message.text }
					status={ message.status }
					isDismissible={ onRemove !== undefined }
					onRemove={
						onRemove ? () => onRemove( message ) : undefined
					}
				>
					{ message.text }
				</Notice>
			) ) }
		</>
	);
}
