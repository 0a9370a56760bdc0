// The app's icons, named by what they mean here, drawn by Lucide (SVG, `@lucide/svelte`).
// One import per icon file keeps the build to the icons listed (the package's index has ~1 700).
// Add an icon here, under the name of its meaning, and use it as
//   import { AttachIcon } from '$lib/components/ui/icons';  <AttachIcon />  or  <IconButton icon={AttachIcon} …/>
// Icons are decoration: Lucide marks them aria-hidden; the button or text beside them carries the name.
import type { LucideIcon } from '@lucide/svelte';

/** Any icon of this file (a Lucide component). */
export type IconComponent = LucideIcon;

// composer
export { default as AttachIcon } from '@lucide/svelte/icons/paperclip';
export { default as EmojiIcon } from '@lucide/svelte/icons/smile';
export { default as StickerIcon } from '@lucide/svelte/icons/sticker';
export { default as MicIcon } from '@lucide/svelte/icons/mic';
export { default as StopIcon } from '@lucide/svelte/icons/square';
export { default as SendIcon } from '@lucide/svelte/icons/send-horizontal';
export { default as MoreActionsIcon } from '@lucide/svelte/icons/plus';
export { default as ReplyIcon } from '@lucide/svelte/icons/reply';
export { default as EditIcon } from '@lucide/svelte/icons/pencil';

// chat header and messages
export { default as BackIcon } from '@lucide/svelte/icons/arrow-left';
export { default as FindIcon } from '@lucide/svelte/icons/search';
export { default as ShortcutsIcon } from '@lucide/svelte/icons/keyboard';
export { default as InfoIcon } from '@lucide/svelte/icons/info';
export { default as MessageMenuIcon } from '@lucide/svelte/icons/ellipsis';
export { default as AddIcon } from '@lucide/svelte/icons/plus';
export { default as PinIcon } from '@lucide/svelte/icons/pin';
export { default as PendingIcon } from '@lucide/svelte/icons/clock';
export { default as SentIcon } from '@lucide/svelte/icons/check';
export { default as ReadIcon } from '@lucide/svelte/icons/check-check';
export { default as MutedIcon } from '@lucide/svelte/icons/bell-off';
export { default as ArchivedIcon } from '@lucide/svelte/icons/archive';
export { default as PreviousMatchIcon } from '@lucide/svelte/icons/chevron-up';
export { default as NextMatchIcon } from '@lucide/svelte/icons/chevron-down';
export { default as LatestIcon } from '@lucide/svelte/icons/arrow-down';
export { default as MentionIcon } from '@lucide/svelte/icons/at-sign';

// media
export { default as FileIcon } from '@lucide/svelte/icons/file-text';
export { default as DownloadIcon } from '@lucide/svelte/icons/download';
export { default as PlayIcon } from '@lucide/svelte/icons/play';
export { default as PauseIcon } from '@lucide/svelte/icons/pause';
export { default as ZoomInIcon } from '@lucide/svelte/icons/zoom-in';
export { default as ZoomOutIcon } from '@lucide/svelte/icons/zoom-out';
export { default as PreviousIcon } from '@lucide/svelte/icons/chevron-left';
export { default as NextIcon } from '@lucide/svelte/icons/chevron-right';
export { default as PictureIcon } from '@lucide/svelte/icons/image';

// emoji picker categories
export { default as FrequentIcon } from '@lucide/svelte/icons/clock';
export { default as SmileysIcon } from '@lucide/svelte/icons/smile';
export { default as PeopleIcon } from '@lucide/svelte/icons/hand';
export { default as AnimalsIcon } from '@lucide/svelte/icons/cat';
export { default as FoodIcon } from '@lucide/svelte/icons/apple';
export { default as TravelIcon } from '@lucide/svelte/icons/car';
export { default as ActivitiesIcon } from '@lucide/svelte/icons/trophy';
export { default as ObjectsIcon } from '@lucide/svelte/icons/lightbulb';
export { default as SymbolsIcon } from '@lucide/svelte/icons/shapes';
export { default as FlagsIcon } from '@lucide/svelte/icons/flag';

// app frame
export { default as CloseIcon } from '@lucide/svelte/icons/x';
export { default as ChatsIcon } from '@lucide/svelte/icons/message-circle';
export { default as NewChatIcon } from '@lucide/svelte/icons/square-pen';
export { default as ContactsIcon } from '@lucide/svelte/icons/contact';
export { default as GroupIcon } from '@lucide/svelte/icons/users';
export { default as ChannelIcon } from '@lucide/svelte/icons/megaphone';
export { default as SettingsIcon } from '@lucide/svelte/icons/settings';
export { default as WarningIcon } from '@lucide/svelte/icons/triangle-alert';

// search and help (issue 20)
export { default as HelpIcon } from '@lucide/svelte/icons/circle-help';
export { default as FilterIcon } from '@lucide/svelte/icons/sliders-horizontal';
