// Electron glue: the proctor tray. Its content comes from trayMenuModel; this binds actions and redraws.
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import { circleIconPng, trayColour } from './tray-icon';
import { trayMenuModel, trayTooltip, type TrayAction, type TrayState } from './tray-menu';

export class ProctorTray {
  private readonly tray: Tray;
  private lastColour = '';

  constructor(private readonly onAction: (action: TrayAction) => void) {
    this.tray = new Tray(nativeImage.createFromBuffer(circleIconPng('#16a34a')));
  }

  update(state: TrayState): void {
    const template: MenuItemConstructorOptions[] = trayMenuModel(state).map((item) => {
      if (item.type === 'separator') return { type: 'separator' };
      if (item.type === 'status') return { label: item.label, enabled: false };
      return { label: item.label, enabled: item.enabled, click: () => this.onAction(item.action) };
    });
    // Linux shows a tray icon only when it has a context menu.
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
    this.tray.setToolTip(trayTooltip(state));
    const colour = trayColour(state);
    if (colour !== this.lastColour) {
      this.lastColour = colour;
      this.tray.setImage(nativeImage.createFromBuffer(circleIconPng(colour)));
    }
  }

  destroy(): void {
    this.tray.destroy();
  }
}
