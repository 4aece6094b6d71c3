/**
 * The reply box: Enter sends, Shift+Enter breaks the line.
 */
import { Button, Notice, TextareaControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

interface ReplyFormProps {
	onSend: ( body: string ) => Promise< string | null >;
}

export function ReplyForm( { onSend }: ReplyFormProps ) {
	const [ draft, setDraft ] = useState( '' );
	const [ error, setError ] = useState< string | null >( null );
	const [ busy, setBusy ] = useState( false );

	const send = async () => {
		const body = draft.trim();
		if ( ! body || busy ) {
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
				onChange={ setDraft }
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
				disabled={ busy }
			>
				{ __( 'Send', 'chatflows' ) }
			</Button>
		</form>
	);
}
