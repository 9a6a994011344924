-- A writer's session in Neovim's built-in LSP client, headless: run by tests/manual/neovim.sh.
-- Opens a chapter with a misspelt bible name, waits for fabula's diagnostics, hovers on a date,
-- jumps to a character's bible entry, fixes the name as a writer would type it, and applies
-- the weekday quick fix. Exits 0 when every step saw what it should, 1 otherwise.
local root = vim.fn.getcwd()
local failures = 0
local function say(text) io.stdout:write(text .. "\n") end
local function check(ok, what)
  say((ok and "ok   " or "FAIL ") .. what)
  if not ok then failures = failures + 1 end
end

vim.cmd("edit manuscript/02-chapter.md")
local buf = vim.api.nvim_get_current_buf()
local config = { name = "fabula", cmd = { "fabula", "lsp" }, root_dir = root }
local client
if vim.lsp.start then -- Neovim 0.8 and later
  client = vim.lsp.start(config)
else -- Neovim 0.7 (Debian 12's)
  client = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, client)
end
check(client ~= nil, "fabula lsp started")

local function diagnostics(bufnr)
  return vim.diagnostic.get(bufnr, {})
end
vim.wait(60000, function() return #diagnostics(buf) > 0 end, 50)
local found = diagnostics(buf)
check(#found == 1 and found[1].code == "N101" and found[1].lnum == 16, "N101 on line 17 of the chapter: "
  .. (found[1] and found[1].message or "none"))

-- Hover on "Katharine" (line 3 of chapter 2 names her), then go to her bible entry.
local line = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local row, col
for number, text in ipairs(line) do
  local at = text:find("Katharine")
  if at then row, col = number - 1, at - 1 break end
end
local params = { textDocument = vim.lsp.util.make_text_document_params(buf), position = { line = row, character = col } }
local hover = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 20000)
local shown = ""
for _, answer in pairs(hover or {}) do
  if answer.result then shown = answer.result.contents.value end
end
check(shown:find("Katharine Vell", 1, true) ~= nil and shown:find("first appears", 1, true) ~= nil,
  "hover on a name shows the bible entry")
local definition = vim.lsp.buf_request_sync(buf, "textDocument/definition", params, 20000)
local target = ""
for _, answer in pairs(definition or {}) do
  if answer.result then target = answer.result.uri or answer.result[1].uri end
end
check(target:find("characters.yaml", 1, true) ~= nil, "definition goes to characters.yaml")

-- Type the right spelling (unsaved): the finding goes.
for number, text in ipairs(line) do
  if text:find("Katherine took") then
    vim.api.nvim_buf_set_lines(buf, number - 1, number, false, { (text:gsub("Katherine", "Katharine")) })
  end
end
vim.wait(30000, function() return #diagnostics(buf) == 0 end, 50)
check(#diagnostics(buf) == 0, "typing the right spelling clears the finding")

-- The weekday quick fix on chapter 3.
vim.cmd("edit manuscript/03-chapter.md")
local other = vim.api.nvim_get_current_buf()
if not vim.lsp.start then vim.lsp.buf_attach_client(other, client) end
vim.wait(30000, function() return #diagnostics(other) > 0 end, 50)
local weekday
for _, diagnostic in ipairs(diagnostics(other)) do
  if diagnostic.code == "D102" then weekday = diagnostic end
end
check(weekday ~= nil, "D102 on the wrong weekday")
if weekday then
  local actions = vim.lsp.buf_request_sync(other, "textDocument/codeAction", {
    textDocument = vim.lsp.util.make_text_document_params(other),
    range = { start = { line = weekday.lnum, character = weekday.col },
              ["end"] = { line = weekday.end_lnum, character = weekday.end_col } },
    context = { diagnostics = {} },
  }, 20000)
  local applied = false
  for _, answer in pairs(actions or {}) do
    for _, action in ipairs(answer.result or {}) do
      if action.title == "Replace Friday with Saturday" and action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
        applied = true
      end
    end
  end
  check(applied, "code action: Replace Friday with Saturday")
  local fixed = table.concat(vim.api.nvim_buf_get_lines(other, 0, -1, false), "\n")
  check(fixed:find("*Saturday, 11 March 2023.*", 1, true) ~= nil, "the buffer now says Saturday")
  vim.wait(30000, function()
    for _, diagnostic in ipairs(diagnostics(other)) do
      if diagnostic.code == "D102" then return false end
    end
    return true
  end, 50)
end

vim.lsp.stop_client(client)
say(failures == 0 and "neovim trial: all steps passed" or ("neovim trial: " .. failures .. " step(s) failed"))
vim.cmd(failures == 0 and "qall!" or "cquit 1")
