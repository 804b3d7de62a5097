// CardService: the builders of a Workspace add-on's cards (Gmail add-ons are card-based), building a
// JSON tree that tests and the local preview read: `renderCard(card)` or `card.toJSON()` gives
// { type: 'Card', header, sections: [{ widgets: [...] }], … }; an ActionResponse gives its navigation
// and notification the same way. Builders are checked by the compiler against the real interfaces.
// https://developers.google.com/apps-script/reference/card-service/card-service

import type { ServiceContext } from '../runtime/execution';
import { withNotEmulated } from './fake-support';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export const TextButtonStyle = { OUTLINED: 'OUTLINED', TEXT: 'TEXT', FILLED: 'FILLED', BORDERLESS: 'BORDERLESS' } as const;
export const SelectionInputType = { CHECK_BOX: 'CHECK_BOX', RADIO_BUTTON: 'RADIO_BUTTON', DROPDOWN: 'DROPDOWN', SWITCH: 'SWITCH' } as const;
export const LoadIndicator = { SPINNER: 'SPINNER', NONE: 'NONE' } as const;
export const ImageStyle = { SQUARE: 'SQUARE', CIRCLE: 'CIRCLE' } as const;
export const OpenAs = { FULL_SIZE: 'FULL_SIZE', OVERLAY: 'OVERLAY' } as const;
export const OnClose = { NOTHING: 'NOTHING', RELOAD: 'RELOAD' } as const;

export const CARD_ERRORS = {
  noSection: 'Invalid card: a card needs at least one section.',
  parameters: 'Invalid argument: parameters. Action parameters must map string keys to string values.',
  notAWidget: 'Invalid argument: widget',
};

/** A node of the card tree: a type, its properties, and JSON output (child nodes rendered too). */
export abstract class CardNode {
  protected readonly props: Record<string, unknown> = {};

  constructor(
    protected readonly ctx: ServiceContext,
    readonly type: string,
  ) {}

  /** Sets a property through the context (counted as `CardService.<Type>.<method>`), returns this. */
  protected set<T>(method: string, key: string, value: unknown): T {
    return this.ctx.call(`CardService.${this.type}.${method}`, () => {
      this.props[key] = value;
      return this as unknown as T;
    });
  }

  protected push<T>(method: string, key: string, value: unknown): T {
    return this.ctx.call(`CardService.${this.type}.${method}`, () => {
      const list = (this.props[key] as unknown[] | undefined) ?? [];
      list.push(value);
      this.props[key] = list;
      return this as unknown as T;
    });
  }

  toJSON(): { [key: string]: Json } {
    const out: { [key: string]: Json } = { type: this.type };
    for (const [key, value] of Object.entries(this.props)) out[key] = renderValue(value);
    return out;
  }
}

function renderValue(value: unknown): Json {
  if (value instanceof CardNode) return value.toJSON();
  if (Array.isArray(value)) return value.map(renderValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, renderValue(v)]));
  }
  return (value ?? null) as Json;
}

/** The JSON tree of a built card (or any node): what a test or the preview reads. */
export function renderCard(card: unknown): { [key: string]: Json } {
  if (!(card instanceof CardNode)) throw new Error('renderCard: not a CardService object of this emulator');
  return card.toJSON();
}

function widget(value: unknown): CardNode {
  if (!(value instanceof CardNode)) throw new Error(CARD_ERRORS.notAWidget);
  return value;
}

export class FakeAction
  extends CardNode
  implements Pick<GoogleAppsScript.Card_Service.Action, 'setFunctionName' | 'setParameters' | 'setLoadIndicator'>
{
  constructor(ctx: ServiceContext) {
    super(ctx, 'Action');
  }
  setFunctionName(functionName: string): GoogleAppsScript.Card_Service.Action {
    return this.set('setFunctionName', 'functionName', String(functionName));
  }
  setParameters(parameters: { [key: string]: string }): GoogleAppsScript.Card_Service.Action {
    if (Object.values(parameters ?? {}).some((v) => typeof v !== 'string')) throw new Error(CARD_ERRORS.parameters);
    return this.set('setParameters', 'parameters', { ...parameters });
  }
  setLoadIndicator(loadIndicator: GoogleAppsScript.Card_Service.LoadIndicator): GoogleAppsScript.Card_Service.Action {
    return this.set('setLoadIndicator', 'loadIndicator', String(loadIndicator));
  }
}

export class FakeOpenLink extends CardNode implements Pick<GoogleAppsScript.Card_Service.OpenLink, 'setUrl' | 'setOpenAs' | 'setOnClose'> {
  constructor(ctx: ServiceContext) {
    super(ctx, 'OpenLink');
  }
  setUrl(url: string): GoogleAppsScript.Card_Service.OpenLink {
    return this.set('setUrl', 'url', String(url));
  }
  setOpenAs(openAs: GoogleAppsScript.Card_Service.OpenAs): GoogleAppsScript.Card_Service.OpenLink {
    return this.set('setOpenAs', 'openAs', String(openAs));
  }
  setOnClose(onClose: GoogleAppsScript.Card_Service.OnClose): GoogleAppsScript.Card_Service.OpenLink {
    return this.set('setOnClose', 'onClose', String(onClose));
  }
}

export class FakeTextButton
  extends CardNode
  implements
    Pick<
      GoogleAppsScript.Card_Service.TextButton,
      'setText' | 'setOnClickAction' | 'setOpenLink' | 'setTextButtonStyle' | 'setDisabled' | 'setBackgroundColor'
    >
{
  constructor(ctx: ServiceContext) {
    super(ctx, 'TextButton');
  }
  setText(text: string): GoogleAppsScript.Card_Service.TextButton {
    return this.set('setText', 'text', String(text));
  }
  setOnClickAction(action: GoogleAppsScript.Card_Service.Action): GoogleAppsScript.Card_Service.TextButton {
    return this.set('setOnClickAction', 'onClickAction', action);
  }
  setOpenLink(openLink: GoogleAppsScript.Card_Service.OpenLink): GoogleAppsScript.Card_Service.TextButton {
    return this.set('setOpenLink', 'openLink', openLink);
  }
  setTextButtonStyle(style: GoogleAppsScript.Card_Service.TextButtonStyle): GoogleAppsScript.Card_Service.TextButton {
    return this.set('setTextButtonStyle', 'textButtonStyle', String(style));
  }
  setDisabled(disabled: boolean): GoogleAppsScript.Card_Service.TextButton {
    return this.set('setDisabled', 'disabled', Boolean(disabled));
  }
  setBackgroundColor(color: string): GoogleAppsScript.Card_Service.TextButton {
    return this.set('setBackgroundColor', 'backgroundColor', String(color));
  }
}

export class FakeButtonSet extends CardNode implements Pick<GoogleAppsScript.Card_Service.ButtonSet, 'addButton'> {
  constructor(ctx: ServiceContext) {
    super(ctx, 'ButtonSet');
  }
  addButton(button: GoogleAppsScript.Card_Service.Button): GoogleAppsScript.Card_Service.ButtonSet {
    return this.push('addButton', 'buttons', widget(button));
  }
}

export class FakeTextParagraph extends CardNode implements Pick<GoogleAppsScript.Card_Service.TextParagraph, 'setText'> {
  constructor(ctx: ServiceContext) {
    super(ctx, 'TextParagraph');
  }
  setText(text: string): GoogleAppsScript.Card_Service.TextParagraph {
    return this.set('setText', 'text', String(text));
  }
}

export class FakeDecoratedText
  extends CardNode
  implements
    Pick<
      GoogleAppsScript.Card_Service.DecoratedText,
      'setText' | 'setTopLabel' | 'setBottomLabel' | 'setWrapText' | 'setButton' | 'setOnClickAction' | 'setOpenLink' | 'setIconUrl'
    >
{
  constructor(ctx: ServiceContext) {
    super(ctx, 'DecoratedText');
  }
  setText(text: string): GoogleAppsScript.Card_Service.DecoratedText {
    return this.set('setText', 'text', String(text));
  }
  setTopLabel(text: string): GoogleAppsScript.Card_Service.DecoratedText {
    return this.set('setTopLabel', 'topLabel', String(text));
  }
  setBottomLabel(text: string): GoogleAppsScript.Card_Service.DecoratedText {
    return this.set('setBottomLabel', 'bottomLabel', String(text));
  }
  setWrapText(wrapText: boolean): GoogleAppsScript.Card_Service.DecoratedText {
    return this.set('setWrapText', 'wrapText', Boolean(wrapText));
  }
  setButton(button: GoogleAppsScript.Card_Service.Button): GoogleAppsScript.Card_Service.DecoratedText {
    return this.set('setButton', 'button', widget(button));
  }
  setOnClickAction(action: GoogleAppsScript.Card_Service.Action): GoogleAppsScript.Card_Service.DecoratedText {
    return this.set('setOnClickAction', 'onClickAction', action);
  }
  setOpenLink(openLink: GoogleAppsScript.Card_Service.OpenLink): GoogleAppsScript.Card_Service.DecoratedText {
    return this.set('setOpenLink', 'openLink', openLink);
  }
  setIconUrl(url: string): GoogleAppsScript.Card_Service.DecoratedText {
    return this.set('setIconUrl', 'iconUrl', String(url));
  }
}

export class FakeKeyValue
  extends CardNode
  implements
    Pick<
      GoogleAppsScript.Card_Service.KeyValue,
      'setTopLabel' | 'setContent' | 'setBottomLabel' | 'setMultiline' | 'setButton' | 'setOnClickAction'
    >
{
  constructor(ctx: ServiceContext) {
    super(ctx, 'KeyValue');
  }
  setTopLabel(text: string): GoogleAppsScript.Card_Service.KeyValue {
    return this.set('setTopLabel', 'topLabel', String(text));
  }
  setContent(text: string): GoogleAppsScript.Card_Service.KeyValue {
    return this.set('setContent', 'content', String(text));
  }
  setBottomLabel(text: string): GoogleAppsScript.Card_Service.KeyValue {
    return this.set('setBottomLabel', 'bottomLabel', String(text));
  }
  setMultiline(multiline: boolean): GoogleAppsScript.Card_Service.KeyValue {
    return this.set('setMultiline', 'multiline', Boolean(multiline));
  }
  setButton(button: GoogleAppsScript.Card_Service.Button): GoogleAppsScript.Card_Service.KeyValue {
    return this.set('setButton', 'button', widget(button));
  }
  setOnClickAction(action: GoogleAppsScript.Card_Service.Action): GoogleAppsScript.Card_Service.KeyValue {
    return this.set('setOnClickAction', 'onClickAction', action);
  }
}

export class FakeTextInput
  extends CardNode
  implements
    Pick<
      GoogleAppsScript.Card_Service.TextInput,
      'setFieldName' | 'setTitle' | 'setValue' | 'setHint' | 'setMultiline' | 'setOnChangeAction'
    >
{
  constructor(ctx: ServiceContext) {
    super(ctx, 'TextInput');
  }
  setFieldName(fieldName: string): GoogleAppsScript.Card_Service.TextInput {
    return this.set('setFieldName', 'fieldName', String(fieldName));
  }
  setTitle(title: string): GoogleAppsScript.Card_Service.TextInput {
    return this.set('setTitle', 'title', String(title));
  }
  setValue(value: string): GoogleAppsScript.Card_Service.TextInput {
    return this.set('setValue', 'value', String(value));
  }
  setHint(hint: string): GoogleAppsScript.Card_Service.TextInput {
    return this.set('setHint', 'hint', String(hint));
  }
  setMultiline(multiline: boolean): GoogleAppsScript.Card_Service.TextInput {
    return this.set('setMultiline', 'multiline', Boolean(multiline));
  }
  setOnChangeAction(action: GoogleAppsScript.Card_Service.Action): GoogleAppsScript.Card_Service.TextInput {
    return this.set('setOnChangeAction', 'onChangeAction', action);
  }
}

export class FakeSelectionInput
  extends CardNode
  implements Pick<GoogleAppsScript.Card_Service.SelectionInput, 'setType' | 'setFieldName' | 'setTitle' | 'addItem' | 'setOnChangeAction'>
{
  constructor(ctx: ServiceContext) {
    super(ctx, 'SelectionInput');
  }
  setType(type: GoogleAppsScript.Card_Service.SelectionInputType): GoogleAppsScript.Card_Service.SelectionInput {
    return this.set('setType', 'selectionType', String(type));
  }
  setFieldName(fieldName: string): GoogleAppsScript.Card_Service.SelectionInput {
    return this.set('setFieldName', 'fieldName', String(fieldName));
  }
  setTitle(title: string): GoogleAppsScript.Card_Service.SelectionInput {
    return this.set('setTitle', 'title', String(title));
  }
  addItem(text: unknown, value: unknown, selected: boolean): GoogleAppsScript.Card_Service.SelectionInput {
    return this.push('addItem', 'items', { text: String(text), value: String(value), selected: Boolean(selected) });
  }
  setOnChangeAction(action: GoogleAppsScript.Card_Service.Action): GoogleAppsScript.Card_Service.SelectionInput {
    return this.set('setOnChangeAction', 'onChangeAction', action);
  }
}

export class FakeDivider extends CardNode {
  constructor(ctx: ServiceContext) {
    super(ctx, 'Divider');
  }
}

export class FakeCardHeader
  extends CardNode
  implements
    Pick<GoogleAppsScript.Card_Service.CardHeader, 'setTitle' | 'setSubtitle' | 'setImageUrl' | 'setImageStyle' | 'setImageAltText'>
{
  constructor(ctx: ServiceContext) {
    super(ctx, 'CardHeader');
  }
  setTitle(title: string): GoogleAppsScript.Card_Service.CardHeader {
    return this.set('setTitle', 'title', String(title));
  }
  setSubtitle(subtitle: string): GoogleAppsScript.Card_Service.CardHeader {
    return this.set('setSubtitle', 'subtitle', String(subtitle));
  }
  setImageUrl(url: string): GoogleAppsScript.Card_Service.CardHeader {
    return this.set('setImageUrl', 'imageUrl', String(url));
  }
  setImageStyle(style: GoogleAppsScript.Card_Service.ImageStyle): GoogleAppsScript.Card_Service.CardHeader {
    return this.set('setImageStyle', 'imageStyle', String(style));
  }
  setImageAltText(text: string): GoogleAppsScript.Card_Service.CardHeader {
    return this.set('setImageAltText', 'imageAltText', String(text));
  }
}

export class FakeCardSection
  extends CardNode
  implements Pick<GoogleAppsScript.Card_Service.CardSection, 'setHeader' | 'addWidget' | 'setCollapsible' | 'setNumUncollapsibleWidgets'>
{
  constructor(ctx: ServiceContext) {
    super(ctx, 'CardSection');
    this.props.widgets = [];
  }
  setHeader(header: string): GoogleAppsScript.Card_Service.CardSection {
    return this.set('setHeader', 'header', String(header));
  }
  addWidget(w: GoogleAppsScript.Card_Service.Widget): GoogleAppsScript.Card_Service.CardSection {
    return this.push('addWidget', 'widgets', widget(w));
  }
  setCollapsible(collapsible: boolean): GoogleAppsScript.Card_Service.CardSection {
    return this.set('setCollapsible', 'collapsible', Boolean(collapsible));
  }
  setNumUncollapsibleWidgets(n: number): GoogleAppsScript.Card_Service.CardSection {
    return this.set('setNumUncollapsibleWidgets', 'numUncollapsibleWidgets', n);
  }
}

export class FakeFixedFooter
  extends CardNode
  implements Pick<GoogleAppsScript.Card_Service.FixedFooter, 'setPrimaryButton' | 'setSecondaryButton'>
{
  constructor(ctx: ServiceContext) {
    super(ctx, 'FixedFooter');
  }
  setPrimaryButton(button: GoogleAppsScript.Card_Service.TextButton): GoogleAppsScript.Card_Service.FixedFooter {
    return this.set('setPrimaryButton', 'primaryButton', widget(button));
  }
  setSecondaryButton(button: GoogleAppsScript.Card_Service.TextButton): GoogleAppsScript.Card_Service.FixedFooter {
    return this.set('setSecondaryButton', 'secondaryButton', widget(button));
  }
}

/** A built card: immutable JSON. */
export class FakeCard extends CardNode implements Pick<GoogleAppsScript.Card_Service.Card, 'printJson'> {
  constructor(ctx: ServiceContext, tree: Record<string, unknown>) {
    super(ctx, 'Card');
    Object.assign(this.props, tree);
  }
  printJson(): string {
    return this.ctx.call('CardService.Card.printJson', () => JSON.stringify(this.toJSON(), null, 2));
  }
}

export class FakeCardBuilder
  extends CardNode
  implements Pick<GoogleAppsScript.Card_Service.CardBuilder, 'setHeader' | 'addSection' | 'setName' | 'setFixedFooter' | 'build'>
{
  constructor(ctx: ServiceContext) {
    super(ctx, 'CardBuilder');
    this.props.sections = [];
  }
  setHeader(header: GoogleAppsScript.Card_Service.CardHeader): GoogleAppsScript.Card_Service.CardBuilder {
    return this.set('setHeader', 'header', widget(header));
  }
  addSection(section: GoogleAppsScript.Card_Service.CardSection): GoogleAppsScript.Card_Service.CardBuilder {
    return this.push('addSection', 'sections', widget(section));
  }
  setName(name: string): GoogleAppsScript.Card_Service.CardBuilder {
    return this.set('setName', 'name', String(name));
  }
  setFixedFooter(footer: GoogleAppsScript.Card_Service.FixedFooter): GoogleAppsScript.Card_Service.CardBuilder {
    return this.set('setFixedFooter', 'fixedFooter', widget(footer));
  }
  build(): GoogleAppsScript.Card_Service.Card {
    return this.ctx.call('CardService.CardBuilder.build', () => {
      if ((this.props.sections as unknown[]).length === 0) throw new Error(CARD_ERRORS.noSection);
      // Snapshot the tree: later changes to the builders do not change a built card.
      const tree = JSON.parse(JSON.stringify(super.toJSON())) as Record<string, unknown>;
      delete tree.type;
      return withNotEmulated(new FakeCard(this.ctx, tree), 'CardService.Card') as unknown as GoogleAppsScript.Card_Service.Card;
    });
  }
}

export class FakeNavigation
  extends CardNode
  implements Pick<GoogleAppsScript.Card_Service.Navigation, 'pushCard' | 'popCard' | 'updateCard' | 'popToRoot' | 'popToNamedCard'>
{
  constructor(ctx: ServiceContext) {
    super(ctx, 'Navigation');
    this.props.steps = [];
  }
  pushCard(card: GoogleAppsScript.Card_Service.Card): GoogleAppsScript.Card_Service.Navigation {
    return this.push('pushCard', 'steps', { pushCard: widget(card) });
  }
  updateCard(card: GoogleAppsScript.Card_Service.Card): GoogleAppsScript.Card_Service.Navigation {
    return this.push('updateCard', 'steps', { updateCard: widget(card) });
  }
  popCard(): GoogleAppsScript.Card_Service.Navigation {
    return this.push('popCard', 'steps', { popCard: true });
  }
  popToRoot(): GoogleAppsScript.Card_Service.Navigation {
    return this.push('popToRoot', 'steps', { popToRoot: true });
  }
  popToNamedCard(cardName: string): GoogleAppsScript.Card_Service.Navigation {
    return this.push('popToNamedCard', 'steps', { popToNamedCard: String(cardName) });
  }
}

export class FakeNotification extends CardNode implements Pick<GoogleAppsScript.Card_Service.Notification, 'setText'> {
  constructor(ctx: ServiceContext) {
    super(ctx, 'Notification');
  }
  setText(text: string): GoogleAppsScript.Card_Service.Notification {
    return this.set('setText', 'text', String(text));
  }
}

export class FakeActionResponse extends CardNode implements Pick<GoogleAppsScript.Card_Service.ActionResponse, 'printJson'> {
  constructor(ctx: ServiceContext, tree: Record<string, unknown>) {
    super(ctx, 'ActionResponse');
    Object.assign(this.props, tree);
  }
  printJson(): string {
    return this.ctx.call('CardService.ActionResponse.printJson', () => JSON.stringify(this.toJSON(), null, 2));
  }
}

export class FakeActionResponseBuilder
  extends CardNode
  implements
    Pick<
      GoogleAppsScript.Card_Service.ActionResponseBuilder,
      'setNavigation' | 'setNotification' | 'setOpenLink' | 'setStateChanged' | 'build'
    >
{
  constructor(ctx: ServiceContext) {
    super(ctx, 'ActionResponseBuilder');
  }
  setNavigation(navigation: GoogleAppsScript.Card_Service.Navigation): GoogleAppsScript.Card_Service.ActionResponseBuilder {
    return this.set('setNavigation', 'navigation', widget(navigation));
  }
  setNotification(notification: GoogleAppsScript.Card_Service.Notification): GoogleAppsScript.Card_Service.ActionResponseBuilder {
    return this.set('setNotification', 'notification', widget(notification));
  }
  setOpenLink(openLink: GoogleAppsScript.Card_Service.OpenLink): GoogleAppsScript.Card_Service.ActionResponseBuilder {
    return this.set('setOpenLink', 'openLink', widget(openLink));
  }
  setStateChanged(stateChanged: boolean): GoogleAppsScript.Card_Service.ActionResponseBuilder {
    return this.set('setStateChanged', 'stateChanged', Boolean(stateChanged));
  }
  build(): GoogleAppsScript.Card_Service.ActionResponse {
    return this.ctx.call('CardService.ActionResponseBuilder.build', () => {
      const tree = JSON.parse(JSON.stringify(super.toJSON())) as Record<string, unknown>;
      delete tree.type;
      return withNotEmulated(
        new FakeActionResponse(this.ctx, tree),
        'CardService.ActionResponse',
      ) as unknown as GoogleAppsScript.Card_Service.ActionResponse;
    });
  }
}

type Builders = Pick<
  GoogleAppsScript.Card_Service.CardService,
  | 'newCardBuilder'
  | 'newCardHeader'
  | 'newCardSection'
  | 'newDecoratedText'
  | 'newTextParagraph'
  | 'newTextButton'
  | 'newButtonSet'
  | 'newAction'
  | 'newTextInput'
  | 'newSelectionInput'
  | 'newNavigation'
  | 'newActionResponseBuilder'
  | 'newNotification'
  | 'newKeyValue'
  | 'newDivider'
  | 'newOpenLink'
  | 'newFixedFooter'
>;

export class FakeCardService implements Builders {
  readonly TextButtonStyle = TextButtonStyle;
  readonly SelectionInputType = SelectionInputType;
  readonly LoadIndicator = LoadIndicator;
  readonly ImageStyle = ImageStyle;
  readonly OpenAs = OpenAs;
  readonly OnClose = OnClose;

  constructor(private readonly ctx: ServiceContext) {}

  private make<T>(method: string, node: CardNode): T {
    return this.ctx.call(`CardService.${method}`, () => withNotEmulated(node, `CardService.${node.type}`) as unknown as T);
  }

  newCardBuilder() {
    return this.make<GoogleAppsScript.Card_Service.CardBuilder>('newCardBuilder', new FakeCardBuilder(this.ctx));
  }
  newCardHeader() {
    return this.make<GoogleAppsScript.Card_Service.CardHeader>('newCardHeader', new FakeCardHeader(this.ctx));
  }
  newCardSection() {
    return this.make<GoogleAppsScript.Card_Service.CardSection>('newCardSection', new FakeCardSection(this.ctx));
  }
  newDecoratedText() {
    return this.make<GoogleAppsScript.Card_Service.DecoratedText>('newDecoratedText', new FakeDecoratedText(this.ctx));
  }
  newTextParagraph() {
    return this.make<GoogleAppsScript.Card_Service.TextParagraph>('newTextParagraph', new FakeTextParagraph(this.ctx));
  }
  newTextButton() {
    return this.make<GoogleAppsScript.Card_Service.TextButton>('newTextButton', new FakeTextButton(this.ctx));
  }
  newButtonSet() {
    return this.make<GoogleAppsScript.Card_Service.ButtonSet>('newButtonSet', new FakeButtonSet(this.ctx));
  }
  newAction() {
    return this.make<GoogleAppsScript.Card_Service.Action>('newAction', new FakeAction(this.ctx));
  }
  newTextInput() {
    return this.make<GoogleAppsScript.Card_Service.TextInput>('newTextInput', new FakeTextInput(this.ctx));
  }
  newSelectionInput() {
    return this.make<GoogleAppsScript.Card_Service.SelectionInput>('newSelectionInput', new FakeSelectionInput(this.ctx));
  }
  newNavigation() {
    return this.make<GoogleAppsScript.Card_Service.Navigation>('newNavigation', new FakeNavigation(this.ctx));
  }
  newActionResponseBuilder() {
    return this.make<GoogleAppsScript.Card_Service.ActionResponseBuilder>(
      'newActionResponseBuilder',
      new FakeActionResponseBuilder(this.ctx),
    );
  }
  newNotification() {
    return this.make<GoogleAppsScript.Card_Service.Notification>('newNotification', new FakeNotification(this.ctx));
  }
  newKeyValue() {
    return this.make<GoogleAppsScript.Card_Service.KeyValue>('newKeyValue', new FakeKeyValue(this.ctx));
  }
  newDivider() {
    return this.make<GoogleAppsScript.Card_Service.Divider>('newDivider', new FakeDivider(this.ctx));
  }
  newOpenLink() {
    return this.make<GoogleAppsScript.Card_Service.OpenLink>('newOpenLink', new FakeOpenLink(this.ctx));
  }
  newFixedFooter() {
    return this.make<GoogleAppsScript.Card_Service.FixedFooter>('newFixedFooter', new FakeFixedFooter(this.ctx));
  }
}

/** CardService for the sandbox. */
export function createCardService(ctx: ServiceContext): GoogleAppsScript.Card_Service.CardService {
  return withNotEmulated(new FakeCardService(ctx), 'CardService') as unknown as GoogleAppsScript.Card_Service.CardService;
}
