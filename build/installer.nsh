; Signet's Windows installer additions (electron-builder nsis.include).
;
; PDF "Open with": Signet is added to the list of programs for .pdf, and never takes .pdf over.
; electron-builder's own fileAssociations (APP_ASSOCIATE) would write the default value of
; Software\Classes\.pdf — making Signet the PDF handler — and uninstalling would leave .pdf pointing
; at a deleted class. Instead, following Microsoft's "File Types" documentation
; (https://learn.microsoft.com/windows/win32/shell/fa-progids, fa-file-types,
; default-programs "Registering an Application for Use with Default Programs"):
;   - a ProgID of Signet's own, Signet.Pdf, with its open command;
;   - .pdf\OpenWithProgids lists it (the .pdf default value — the user's PDF reader — is untouched);
;   - Applications\Signet.exe names Signet and the types it supports in "Open with";
;   - Capabilities + RegisteredApplications, so Settings > Default apps can make Signet the PDF
;     handler if the user chooses to.
; SHCTX is the installation's hive: HKCU for a per-user install, HKLM for "all users".
;
; Core dumps (issue 8: no PIN in a crash dump): Windows Error Reporting ignores Signet.exe — main,
; token hosts (utility processes) and renderers are all that executable — through
; "Windows Error Reporting\ExcludedApplications" (a REG_DWORD 1 named after the executable; WER
; Settings, https://learn.microsoft.com/windows/win32/wer/wer-settings), in the installation's hive.
; The app also calls WerAddExcludedApplication for the current user and WerSetFlags(NOHEAP) at every
; start (native/process-hardening), so a portable copy is covered per user too. WER's own key is read
; in the 64-bit registry view: the 32-bit installer must not write it under WOW6432Node.

!include x64.nsh
!define SIGNET_PDF_PROGID "Signet.Pdf"
!define SIGNET_WER_EXCLUDED "Software\Microsoft\Windows\Windows Error Reporting\ExcludedApplications"

!macro customInstall
  WriteRegStr SHCTX "Software\Classes\${SIGNET_PDF_PROGID}" "" "PDF document (Signet)"
  WriteRegStr SHCTX "Software\Classes\${SIGNET_PDF_PROGID}\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr SHCTX "Software\Classes\${SIGNET_PDF_PROGID}\shell\open" "" "Sign with Signet"
  WriteRegStr SHCTX "Software\Classes\${SIGNET_PDF_PROGID}\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
  WriteRegNone SHCTX "Software\Classes\.pdf\OpenWithProgids" "${SIGNET_PDF_PROGID}"
  WriteRegStr SHCTX "Software\Classes\Applications\${APP_EXECUTABLE_FILENAME}" "FriendlyAppName" "Signet"
  WriteRegStr SHCTX "Software\Classes\Applications\${APP_EXECUTABLE_FILENAME}\SupportedTypes" ".pdf" ""
  WriteRegStr SHCTX "Software\Classes\Applications\${APP_EXECUTABLE_FILENAME}\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
  WriteRegStr SHCTX "Software\Signet\Capabilities" "ApplicationName" "Signet"
  WriteRegStr SHCTX "Software\Signet\Capabilities" "ApplicationDescription" "Sign documents with smart cards and USB tokens"
  WriteRegStr SHCTX "Software\Signet\Capabilities\FileAssociations" ".pdf" "${SIGNET_PDF_PROGID}"
  WriteRegStr SHCTX "Software\RegisteredApplications" "Signet" "Software\Signet\Capabilities"
  ${If} ${RunningX64}
    SetRegView 64
    WriteRegDWORD SHCTX "${SIGNET_WER_EXCLUDED}" "${APP_EXECUTABLE_FILENAME}" 1
    SetRegView lastused
  ${Else}
    WriteRegDWORD SHCTX "${SIGNET_WER_EXCLUDED}" "${APP_EXECUTABLE_FILENAME}" 1
  ${EndIf}
  ; SHCNE_ASSOCCHANGED: Explorer re-reads the associations.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend

; Removes exactly what customInstall wrote; .pdf itself and other programs' entries stay as they are.
!macro customUnInstall
  DeleteRegValue SHCTX "Software\Classes\.pdf\OpenWithProgids" "${SIGNET_PDF_PROGID}"
  DeleteRegKey SHCTX "Software\Classes\${SIGNET_PDF_PROGID}"
  DeleteRegKey SHCTX "Software\Classes\Applications\${APP_EXECUTABLE_FILENAME}"
  DeleteRegValue SHCTX "Software\RegisteredApplications" "Signet"
  DeleteRegKey SHCTX "Software\Signet\Capabilities"
  DeleteRegKey /ifempty SHCTX "Software\Signet"
  ${If} ${RunningX64}
    SetRegView 64
    DeleteRegValue SHCTX "${SIGNET_WER_EXCLUDED}" "${APP_EXECUTABLE_FILENAME}"
    SetRegView lastused
  ${Else}
    DeleteRegValue SHCTX "${SIGNET_WER_EXCLUDED}" "${APP_EXECUTABLE_FILENAME}"
  ${EndIf}
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend
