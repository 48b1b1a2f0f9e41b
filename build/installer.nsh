; Start at login for the account the kiosk is installed for (the installer is per-user).
; When Shell Launcher makes the app the shell, Explorer does not run and this entry is simply not used.
!macro customInstall
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "${PRODUCT_NAME}" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}"'
!macroend

; An update uninstalls the old version first: keep the entry then, remove it only on a real uninstall.
!macro customUnInstall
  ${ifNot} ${isUpdated}
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "${PRODUCT_NAME}"
  ${endIf}
!macroend
