"""The MCP server: every served API operation as a tool, plus task tools for conversational agents.

Tools are generated from the app's own OpenAPI document, so an operation appears as a tool as soon
as its route is registered. A tool call runs the real operation in-process with the caller's
credentials. `opencal mcp` serves the tools over stdio; the running app serves them over
streamable HTTP at `/mcp`.
"""
