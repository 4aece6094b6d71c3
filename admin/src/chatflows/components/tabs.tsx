/**
 * Accessible tabs whose selection the parent controls, so a save can open
 * the tab holding the first error (WordPress 6.1's TabPanel cannot be
 * controlled).
 */
import { useRef } from '@wordpress/element';

export interface TabDefinition {
	name: string;
	title: string;
	/** Errors under this tab: a count shown beside its title. */
	errorCount?: number;
}

/**
 * Tabs and the selected tab's panel.
 *
 * @param props          Props.
 * @param props.id       Prefix of the tabs' DOM ids.
 * @param props.label    Name of the tab list.
 * @param props.tabs     Tabs.
 * @param props.selected Selected tab's name.
 * @param props.onSelect Called with a tab's name.
 * @param props.children The selected tab's content.
 */
export function Tabs( {
	id,
	label,
	tabs,
	selected,
	onSelect,
	children,
}: {
	id: string;
	label: string;
	tabs: TabDefinition[];
	selected: string;
	onSelect: ( name: string ) => void;
	children: React.ReactNode;
} ) {
	const list = useRef< HTMLDivElement >( null );
	const onKeyDown = ( event: React.KeyboardEvent ) => {
		const steps: Record< string, number > = {
			ArrowRight: 1,
			ArrowLeft: -1,
		};
		const step = steps[ event.key ];
		if ( ! step ) {
			return;
		}
		const index = tabs.findIndex( ( tab ) => tab.name === selected );
		const next = tabs[ ( index + step + tabs.length ) % tabs.length ];
		onSelect( next.name );
		list.current
			?.querySelector< HTMLButtonElement >(
				`#${ id }-tab-${ next.name }`
			)
			?.focus();
	};
	return (
		<div className="chatflows-tabs">
			<div
				className="chatflows-tabs__list"
				role="tablist"
				aria-label={ label }
				ref={ list }
			>
				{ tabs.map( ( tab ) => (
					<button
						key={ tab.name }
						id={ `${ id }-tab-${ tab.name }` }
						type="button"
						role="tab"
						className="chatflows-tabs__tab"
						aria-selected={ tab.name === selected }
						aria-controls={ `${ id }-panel` }
						tabIndex={ tab.name === selected ? 0 : -1 }
						onClick={ () => onSelect( tab.name ) }
						onKeyDown={ onKeyDown }
					>
						{ tab.title }
						{ !! tab.errorCount && (
							<span
								className="chatflows-tabs__errors"
								aria-hidden="true"
							>
								{ tab.errorCount }
							</span>
						) }
					</button>
				) ) }
			</div>
			<div
				id={ `${ id }-panel` }
				role="tabpanel"
				aria-labelledby={ `${ id }-tab-${ selected }` }
				className="chatflows-tabs__panel"
			>
				{ children }
			</div>
		</div>
	);
}
