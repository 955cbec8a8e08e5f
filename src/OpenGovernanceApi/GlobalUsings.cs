// What every resource file uses, said once (as dotnet/eShop's services do).
global using System.ComponentModel;
global using Dapper;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.AspNetCore.Mvc;
global using OpenGovernanceApi.Api;
global using OpenGovernanceApi.Data;
global using OpenGovernanceApi.Formats;
global using OpenGovernanceApi.Hosting;
global using OpenGovernanceApi.OpenApi;
