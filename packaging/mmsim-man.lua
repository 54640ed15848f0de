-- packaging/mmsim-man.lua: pandoc Lua filter (pandoc 2.17) that makes the
-- manual page mmsim(1) out of the woven mmsim appendix (src-lit/90-mmsim.nw,
-- through tools/nw2pandoc, as for the HTML book), so that the page and the
-- book cannot say different things.
--
-- What it takes from the appendix:
--   NAME           "mmsim - " and the appendix's title
--   SYNOPSIS       the quoted commands that start the paragraph "The
--                  command." (\label{sec:mmsim-command})
--   DESCRIPTION    the paragraphs that start with \label{man:description-N}
--   OPTIONS        the description list of that paragraph
--   EXIT STATUS    the paragraph "Exit status." (\label{sec:mmsim-status})
--   SCENARIO FILES the rest of "The scenario contract"
--                  (\label{sec:mmsim-contract}) and its subsection, each
--                  \paragraph a subsection of the page, without the
--                  section's introduction
--   EXAMPLES       its paragraph "An example."
--   SEE ALSO       the system calls the operations make, and the book in
--                  the metadata's docdir
-- Quoted code (tools/nw2pandoc writes it \texttt{NWQID}) is the text of
-- its fragment in the metadata's fragments file; \ref{label} becomes the
-- title of what it names.
-- The filter fails when a piece it needs is missing.

local stringify = pandoc.utils.stringify

local function die(msg)
  io.stderr:write("mmsim-man.lua: " .. msg .. "\n")
  os.exit(1)
end

local function unescape(s)
  s = s:gsub("<[^>]*>", "")
  s = s:gsub("&lt;", "<"):gsub("&gt;", ">"):gsub("&quot;", '"')
  s = s:gsub("&#39;", "'"):gsub("&#x27;", "'"):gsub("&amp;", "&")
  return s
end

local function read_quotes(path)
  local f = io.open(path, "r") or die("cannot read " .. path)
  local text = f:read("a")
  f:close()
  local quotes = {}
  for id, body in text:gmatch("<!%-%-nwfrag (q%d+)%-%->\n?(.-)\n?<!%-%-nwend%-%->") do
    quotes[id] = unescape(body)
  end
  return quotes
end

local function label_of(inline)
  if inline and inline.t == "RawInline" and inline.format == "latex" then
    return inline.text:match("^\\label{([^}]*)}$")
  end
end

function Pandoc(doc)
  local quotes = read_quotes(stringify(doc.meta.fragments or
    die("no fragments file in the metadata")))
  local docdir = stringify(doc.meta.docdir or "/usr/local/share/doc/mmlit")

  -- Titles of everything labelled, for \ref.
  local titles = {}
  for _, b in ipairs(doc.blocks) do
    if b.t == "Header" and b.identifier ~= "" then
      titles[b.identifier] = stringify(b.content):gsub("%.$", "")
    end
  end

  -- Quoted code, references and labels inside the text.
  doc = doc:walk({
    Code = function(c)
      local id = c.text:match("^NWQ(q%d+)$")
      if id then
        return pandoc.Code(quotes[id] or die("no fragment " .. id))
      end
    end,
    RawInline = function(r)
      if r.format == "latex" then
        local id = r.text:match("^\\nwq{([^}]*)}$")
        if id then
          return pandoc.Code(quotes[id] or die("no fragment " .. id))
        end
      end
    end,
    Link = function(l)
      local label = l.target:match("^#(.*)")
      if label and l.attributes["reference-type"] then
        return pandoc.Quoted("DoubleQuote",
          { pandoc.Str(titles[label] or die("\\ref to unknown " .. label)) })
      end
    end,
  })

  local blocks = doc.blocks
  local chapter, description = nil, {}
  local contract_at
  for i, b in ipairs(blocks) do
    if b.t == "Header" and b.identifier == "app:mmsim" then
      chapter = stringify(b.content)
    elseif b.t == "Para" and (label_of(b.content[1]) or ""):match("^man:description") then
      local content = pandoc.List()
      for k = 2, #b.content do content:insert(b.content[k]) end
      while content[1] and (content[1].t == "SoftBreak" or content[1].t == "Space") do
        content:remove(1)
      end
      table.insert(description, pandoc.Para(content))
    elseif b.t == "Header" and b.identifier == "sec:mmsim-contract" then
      contract_at = i
    end
  end
  if not chapter then die("no chapter labelled app:mmsim") end
  if #description == 0 then die("no paragraph labelled man:description-N") end
  if not contract_at then die("no section labelled sec:mmsim-contract") end

  -- The contract section, cut at its \paragraph and \subsection headers.
  local parts, cur = {}, nil
  local level = blocks[contract_at].level
  for i = contract_at + 1, #blocks do
    local b = blocks[i]
    if b.t == "Header" and b.level <= level then break end
    if b.t == "Header" then
      cur = { header = b, blocks = {} }
      table.insert(parts, cur)
    elseif cur then
      table.insert(cur.blocks, b)
    end
  end
  local function take(id)
    for k, p in ipairs(parts) do
      if p.header.identifier == id then
        table.remove(parts, k)
        return p
      end
    end
  end
  local function take_titled(title)
    for k, p in ipairs(parts) do
      if stringify(p.header.content) == title then
        table.remove(parts, k)
        return p
      end
    end
  end
  local command = take("sec:mmsim-command") or die("no paragraph sec:mmsim-command")
  local status = take("sec:mmsim-status") or die("no paragraph sec:mmsim-status")
  local example = take_titled("An example.") or die("no paragraph \"An example.\"")

  local synopsis, options = {}, nil
  for _, b in ipairs(command.blocks) do
    if b.t == "Para" and #synopsis == 0 then
      for _, x in ipairs(b.content) do
        if x.t == "Code" and x.text:match("^mmsim ") then
          table.insert(synopsis, { pandoc.Strong({ pandoc.Str(x.text) }) })
        end
      end
    elseif b.t == "DefinitionList" then
      options = b
    end
  end
  if #synopsis == 0 then die("no \"mmsim ...\" command in \"The command.\"") end
  if not options then die("no option list in \"The command.\"") end
  for _, item in ipairs(options.content) do
    item[1] = { pandoc.Strong(item[1]) }
  end

  local out = pandoc.List()
  local function section(title, bs)
    out:insert(pandoc.Header(1, title))
    out:extend(bs)
  end
  section("NAME", { pandoc.Plain({ pandoc.Str("mmsim - " .. chapter:lower()) }) })
  section("SYNOPSIS", { pandoc.LineBlock(synopsis) })
  section("DESCRIPTION", description)
  section("OPTIONS", { options })
  section("EXIT STATUS", status.blocks)
  out:insert(pandoc.Header(1, "SCENARIO FILES"))
  for _, p in ipairs(parts) do
    out:insert(pandoc.Header(2, (stringify(p.header.content):gsub("%.$", ""))))
    out:extend(p.blocks)
  end
  section("EXAMPLES", example.blocks)
  local see = {}
  for _, page in ipairs({ "memfd_create(2)", "fcntl(2)", "fallocate(2)",
                          "mmap(2)", "userfaultfd(2)" }) do
    table.insert(see, pandoc.Strong({ pandoc.Str(page) }))
    table.insert(see, pandoc.Str(","))
    table.insert(see, pandoc.Space())
  end
  see[#see - 1] = pandoc.Str(";")
  for _, x in ipairs({ pandoc.Str("the"), pandoc.Space(), pandoc.Str("book,"),
      pandoc.Space(), pandoc.Code(docdir .. "/mmlit.html"), pandoc.Space(),
      pandoc.Str("or"), pandoc.Space(), pandoc.Code(docdir .. "/mmlit.pdf"),
      pandoc.Str(","), pandoc.Space(), pandoc.Str("appendix"), pandoc.Space(),
      pandoc.Quoted("DoubleQuote", { pandoc.Str(chapter) }), pandoc.Str(".") }) do
    table.insert(see, x)
  end
  section("SEE ALSO", { pandoc.Para(see) })

  -- Labels left in the text say nothing to a reader of the page.
  local page = pandoc.Pandoc(out, doc.meta)
  return page:walk({
    RawInline = function(r)
      if r.format == "latex" then return {} end
    end,
    RawBlock = function(r)
      if r.format == "latex" then return {} end
    end,
  })
end
