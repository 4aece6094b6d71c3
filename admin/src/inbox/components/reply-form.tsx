/**
 * The reply box: Enter sends, Shift+Enter breaks the line.
 */
import { Button, Notice } from '@wordpress/components';
import { TextareaControl } from '@chatflows/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

interface ReplyFormProps {
	/** Resolves null once sent, or the reason it was not. */
	onSend: ( body: string ) => Promise< string | null >;
	/** Called on every change of the text (for the typing indicator). */
	onTyping?: ( typing: boolean ) => void;
	/** A closed conversation takes no reply until reopened. */
	disabled?: boolean;
}

/**
 * The reply box.
 *
 * @param props          Props.
 * @param props.onSend   Sends a reply.
 * @param props.onTyping Typing indicator.
 * @param props.disabled Whether replying is off.
 */
export function ReplyForm( {
	onSend,
	onTyping,
	disabled = false,
}: ReplyFormProps ) {
	const [ draft, setDraft ] = useState( '' );
	const [ error, setError ] = useState< string | null >( null );
	const [ busy, setBusy ] = useState( false );

	const send = async () => {
		const body = draft.trim();
		if ( ! body || busy || disabled ) {
			return;
		}
		setBusy( true );
		const failure = await onSend( body );
		setBusy( false );
		setError( failure );
		if ( ! failure ) {
			setDraft( '' );
		}
	};

	return (
		<form
			className="chatflows-inbox__reply"
			onSubmit={ ( event ) => {
				event.preventDefault();
				send();
			} }
		>
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ error }
				</Notice>
			) }
			<TextareaControl
				label={ __( 'Reply', 'chatflows' ) }
				value={ draft }
				rows={ 3 }
				disabled={ disabled }
				onChange={ ( value: string ) => {
					setDraft( value );
					onTyping?.( value.trim() !== '' );
				} }
				onKeyDown={ ( event: React.KeyboardEvent ) => {
					if (
						event.key === 'Enter' &&
						! event.shiftKey &&
						! event.nativeEvent.isComposing
					) {
						event.preventDefault();
						send();
					}
				} }
			/>
			<Button
				variant="primary"
				type="submit"
				isBusy={ busy }
				disabled={ busy || disabled }
			>
				{ __( 'Send', 'chatflows' ) }
			</Button>
		</form>
	);
}
