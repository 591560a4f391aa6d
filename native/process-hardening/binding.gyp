# One C file against Node-API (node_api.h, ABI-stable): the same .node loads in Node (CLI, tests) and
# in Electron's main and utility processes without an Electron-specific rebuild (as pkcs11js).
{
  "targets": [
    {
      "target_name": "process_hardening",
      "sources": ["src/hardening.c"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [
        ["OS=='win'", { "libraries": ["wer.lib"] }]
      ]
    }
  ]
}
