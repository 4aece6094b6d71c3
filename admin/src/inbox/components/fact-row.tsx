/**
 * One fact in a description list (`<dl>`): its label and its value.
 *
 * @param props          Props.
 * @param props.label    The label.
 * @param props.children The value.
 */
export function Row( { label, children }: { label: string; children: any } ) {
	return (
		<>
			<dt>{ label }</dt>
			<dd>{ children }</dd>
		</>
	);
}
